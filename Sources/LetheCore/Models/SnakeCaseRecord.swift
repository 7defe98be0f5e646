import GRDB

/// A record of Lethe's schema: every column is its property's name in snake_case
/// (`vacancyId` ↔ `vacancy_id`), so no record spells out its coding keys.
///
/// The records read or written on every request (a vacancy, a session and its user, what an
/// application stores) implement `init(row:)` and `encode(to:)` column by column instead:
/// GRDB's conversion of every column name of every row cost more than reading the values
/// (a tenth of an application, bench/README.md). `RecordColumnsTests` pins their columns to
/// their tables'.
public protocol SnakeCaseRecord: FetchableRecord, EncodableRecord {}

extension SnakeCaseRecord {
    public static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    public static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }
}
