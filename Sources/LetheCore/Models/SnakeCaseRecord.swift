import GRDB

/// A record of Lethe's schema: every column is its property's name in snake_case
/// (`vacancyId` ↔ `vacancy_id`), so no record spells out its coding keys.
public protocol SnakeCaseRecord: FetchableRecord, EncodableRecord {}

extension SnakeCaseRecord {
    public static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    public static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }
}
