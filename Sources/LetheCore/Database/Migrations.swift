import GRDB

extension AppDatabase {
    /// The named migrations of the schema. A released migration is never edited: add a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-schema") { db in
            try db.execute(sql: schemaV1)
        }
        migrator.registerMigration("v2-acknowledged-partners-throttle-resets") { db in
            try db.execute(sql: schemaV2)
        }
        migrator.registerMigration("v3-outbox-links-thread-templates") { db in
            try db.execute(sql: schemaV3)
        }
        // Two languages. Applications and acknowledgements from before were in English; notice
        // versions from before have no Danish text (`body` is the English one).
        migrator.registerMigration("v4-languages") { db in
            try db.execute(sql: """
                ALTER TABLE application ADD COLUMN language TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('da', 'en'));
                ALTER TABLE notice ADD COLUMN body_da TEXT;
                ALTER TABLE notice ADD COLUMN sha256_da TEXT;
                ALTER TABLE notice_acknowledgement ADD COLUMN language TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('da', 'en'));
                ALTER TABLE consent ADD COLUMN language TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('da', 'en'));
                """)
        }
        // A CV that came with a refused form, kept for an hour for the same browser (issue 14).
        migrator.registerMigration("v5-kept-uploads") { db in
            try db.execute(sql: """
                CREATE TABLE kept_upload (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    owner_hash BLOB NOT NULL,
                    vacancy_id INTEGER NOT NULL REFERENCES vacancy(id) ON DELETE CASCADE,
                    original_name TEXT NOT NULL,
                    media_type TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    storage_name TEXT NOT NULL UNIQUE,
                    encryption_key BLOB NOT NULL,
                    created_at DATETIME NOT NULL,
                    expires_at DATETIME NOT NULL,
                    UNIQUE (owner_hash, vacancy_id)
                );
                CREATE INDEX kept_upload_expires_at ON kept_upload(expires_at);
                """)
        }
        // One application per e-mail address and vacancy, looked up as each is stored.
        migrator.registerMigration("v6-application-email-index") { db in
            try db.execute(sql: "CREATE INDEX application_vacancy_email ON application(vacancy_id, email COLLATE NOCASE)")
        }
        // A vacancy's life cycle: a draft until published, archived when put away. The vacancies
        // from before were all public.
        migrator.registerMigration("v7-vacancy-life-cycle") { db in
            try db.execute(sql: """
                ALTER TABLE vacancy ADD COLUMN published_at DATETIME;
                ALTER TABLE vacancy ADD COLUMN archived_at DATETIME;
                UPDATE vacancy SET published_at = created_at;
                """)
        }
        // The talent pool: HR's tags on applications with live extended-retention consent, and the
        // other vacancies an application was proposed to. Both go with the application (cascade)
        // and with the consent (deleted when it is withdrawn).
        migrator.registerMigration("v8-talent-pool") { db in
            try db.execute(sql: """
                CREATE TABLE pool_tag (
                    application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
                    tag TEXT NOT NULL,
                    PRIMARY KEY (application_id, tag)
                ) WITHOUT ROWID;
                CREATE TABLE pool_proposal (
                    application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
                    vacancy_id INTEGER NOT NULL REFERENCES vacancy(id) ON DELETE CASCADE,
                    proposed_by INTEGER REFERENCES staff_user(id) ON DELETE SET NULL,
                    proposed_at DATETIME NOT NULL,
                    PRIMARY KEY (application_id, vacancy_id)
                ) WITHOUT ROWID;
                CREATE INDEX pool_proposal_vacancy ON pool_proposal(vacancy_id);
                """)
        }
        // What recruiters expect on a vacancy: employment type, hours, salary, contact person.
        migrator.registerMigration("v9-vacancy-facts") { db in
            try db.execute(sql: """
                ALTER TABLE vacancy ADD COLUMN employment_type TEXT NOT NULL DEFAULT ''
                    CHECK (employment_type IN ('', 'permanent', 'fixed_term', 'temporary', 'internship'));
                ALTER TABLE vacancy ADD COLUMN hours TEXT NOT NULL DEFAULT '';
                ALTER TABLE vacancy ADD COLUMN salary TEXT NOT NULL DEFAULT '';
                ALTER TABLE vacancy ADD COLUMN contact TEXT NOT NULL DEFAULT '';
                """)
        }
        // Screening questions a vacancy asks; the answers go with the application.
        migrator.registerMigration("v10-screening-questions") { db in
            try db.execute(sql: """
                CREATE TABLE screening_question (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    vacancy_id INTEGER NOT NULL REFERENCES vacancy(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL CHECK (position BETWEEN 1 AND 3),
                    kind TEXT NOT NULL CHECK (kind IN ('text', 'yes_no')),
                    text TEXT NOT NULL,
                    UNIQUE (vacancy_id, position)
                );
                CREATE TABLE screening_answer (
                    application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
                    question_id INTEGER NOT NULL REFERENCES screening_question(id) ON DELETE CASCADE,
                    answer TEXT NOT NULL,
                    PRIMARY KEY (application_id, question_id)
                ) WITHOUT ROWID;
                """)
        }
        // The language a staff member last read Lethe in: the mail to them uses it.
        migrator.registerMigration("v11-staff-language") { db in
            try db.execute(sql: "ALTER TABLE staff_user ADD COLUMN language TEXT CHECK (language IN ('da', 'en'))")
        }
        // The list's index also holds what a search matches (name, e-mail address): SQLite
        // tests each entry in the index and reads a row from the table only when it matches,
        // instead of reading all of a vacancy's rows (a search of 10,000 was 2.3x slower).
        migrator.registerMigration("v12-searchable-list-index") { db in
            try db.execute(sql: """
                DROP INDEX application_vacancy;
                CREATE INDEX application_vacancy ON application(vacancy_id, submitted_at, id, name, email);
                """)
        }
        // How many applications each vacancy has in each status, kept by triggers in the same
        // transaction as every change: a full page of a list tells its total from here instead
        // of counting the vacancy's index entries (10,000 for a large vacancy), issue 15.
        migrator.registerMigration("v13-application-counts") { db in
            try db.execute(sql: """
                CREATE TABLE application_count (
                    vacancy_id INTEGER NOT NULL REFERENCES vacancy(id) ON DELETE CASCADE,
                    status TEXT NOT NULL,
                    n INTEGER NOT NULL,
                    PRIMARY KEY (vacancy_id, status)
                ) WITHOUT ROWID;
                INSERT INTO application_count (vacancy_id, status, n)
                    SELECT vacancy_id, status, count(*) FROM application GROUP BY vacancy_id, status;
                CREATE TRIGGER application_counted AFTER INSERT ON application BEGIN
                    INSERT INTO application_count (vacancy_id, status, n) VALUES (new.vacancy_id, new.status, 1)
                        ON CONFLICT (vacancy_id, status) DO UPDATE SET n = n + 1;
                END;
                CREATE TRIGGER application_uncounted AFTER DELETE ON application BEGIN
                    UPDATE application_count SET n = n - 1 WHERE vacancy_id = old.vacancy_id AND status = old.status;
                END;
                CREATE TRIGGER application_recounted AFTER UPDATE OF vacancy_id, status ON application BEGIN
                    UPDATE application_count SET n = n - 1 WHERE vacancy_id = old.vacancy_id AND status = old.status;
                    INSERT INTO application_count (vacancy_id, status, n) VALUES (new.vacancy_id, new.status, 1)
                        ON CONFLICT (vacancy_id, status) DO UPDATE SET n = n + 1;
                END;
                """)
        }
        // What a search of the list matches, in one column the index holds: the name and the
        // e-mail address in lower case, apart by a control character neither can contain. A
        // search then tests each entry with one `instr` instead of two `LIKE`s with an escape
        // (a search of 10,000 spent half its time there), and lower case is computed when a row
        // is written, not at every search. Generated, so nothing else writes it.
        migrator.registerMigration("v14-application-search-text") { db in
            try db.execute(sql: """
                ALTER TABLE application ADD COLUMN search_text TEXT
                    GENERATED ALWAYS AS (lower(name) || char(31) || lower(email)) VIRTUAL;
                DROP INDEX application_vacancy;
                CREATE INDEX application_vacancy ON application(vacancy_id, submitted_at, id, name, search_text);
                """)
        }
        return migrator
    }

    // One statement block keeps the whole first schema readable at a glance, with its constraints.
    private static let schemaV1 = """
        CREATE TABLE server_secret (
            name TEXT PRIMARY KEY NOT NULL,
            value BLOB NOT NULL
        );

        CREATE TABLE notice (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL CHECK (kind IN ('privacy', 'reference', 'transfer', 'retention')),
            version INTEGER NOT NULL,
            body TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            published_at DATETIME NOT NULL,
            published_by INTEGER REFERENCES staff_user(id) ON DELETE SET NULL,
            UNIQUE (kind, version)
        );

        CREATE TABLE staff_user (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            email TEXT NOT NULL UNIQUE COLLATE NOCASE,
            name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('hr', 'staff')),
            password_hash TEXT NOT NULL,
            disabled_at DATETIME,
            created_at DATETIME NOT NULL
        );

        CREATE TABLE session (
            id_hash BLOB PRIMARY KEY NOT NULL,
            staff_user_id INTEGER NOT NULL REFERENCES staff_user(id) ON DELETE CASCADE,
            created_at DATETIME NOT NULL,
            last_seen_at DATETIME NOT NULL
        );
        CREATE INDEX session_staff_user ON session(staff_user_id);

        CREATE TABLE vacancy (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            title TEXT NOT NULL,
            description TEXT NOT NULL,
            location TEXT NOT NULL,
            closes_on TEXT NOT NULL,
            international BOOLEAN NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
            created_at DATETIME NOT NULL,
            updated_at DATETIME NOT NULL
        );

        CREATE TABLE transfer_destination (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            vacancy_id INTEGER NOT NULL REFERENCES vacancy(id) ON DELETE CASCADE,
            country TEXT NOT NULL CHECK (length(country) = 2),
            recipient TEXT NOT NULL,
            safeguard TEXT NOT NULL CHECK (safeguard IN ('adequacy', 'scc', 'bcr', 'derogation'))
        );
        CREATE INDEX transfer_destination_vacancy ON transfer_destination(vacancy_id);

        CREATE TABLE panel_membership (
            vacancy_id INTEGER NOT NULL REFERENCES vacancy(id) ON DELETE CASCADE,
            staff_user_id INTEGER NOT NULL REFERENCES staff_user(id) ON DELETE CASCADE,
            added_at DATETIME NOT NULL,
            PRIMARY KEY (vacancy_id, staff_user_id)
        );
        CREATE INDEX panel_membership_staff_user ON panel_membership(staff_user_id);

        CREATE TABLE application (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            vacancy_id INTEGER NOT NULL REFERENCES vacancy(id) ON DELETE RESTRICT,
            token_hash BLOB NOT NULL UNIQUE,
            name TEXT NOT NULL,
            email TEXT NOT NULL,
            phone TEXT,
            cover_letter TEXT,
            status TEXT NOT NULL DEFAULT 'received'
                CHECK (status IN ('received', 'in_review', 'shortlisted', 'rejected', 'offered', 'hired', 'declined')),
            submitted_at DATETIME NOT NULL,
            retention_until DATETIME NOT NULL
        );
        CREATE INDEX application_vacancy ON application(vacancy_id, submitted_at, id);
        CREATE INDEX application_vacancy_name ON application(vacancy_id, name COLLATE NOCASE, id);
        CREATE INDEX application_vacancy_status ON application(vacancy_id, status, submitted_at, id);
        CREATE INDEX application_retention_until ON application(retention_until);

        CREATE TABLE document (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            original_name TEXT NOT NULL,
            media_type TEXT NOT NULL,
            size INTEGER NOT NULL,
            storage_name TEXT NOT NULL UNIQUE,
            encryption_key BLOB NOT NULL,
            created_at DATETIME NOT NULL
        );
        CREATE INDEX document_application ON document(application_id);

        CREATE TABLE reference (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
            position INTEGER NOT NULL CHECK (position BETWEEN 1 AND 3),
            name TEXT NOT NULL,
            contact TEXT NOT NULL,
            relationship TEXT NOT NULL,
            permission_given BOOLEAN NOT NULL DEFAULT 0,
            permission_notice_id INTEGER REFERENCES notice(id),
            permission_withdrawn_at DATETIME,
            legal_basis TEXT NOT NULL DEFAULT 'legitimate_interest' CHECK (legal_basis = 'legitimate_interest'),
            UNIQUE (application_id, position)
        );

        CREATE TABLE reference_check (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            reference_id INTEGER NOT NULL REFERENCES reference(id) ON DELETE CASCADE,
            recorded_by INTEGER REFERENCES staff_user(id) ON DELETE SET NULL,
            contacted_on TEXT NOT NULL,
            summary TEXT NOT NULL,
            created_at DATETIME NOT NULL
        );
        CREATE INDEX reference_check_reference ON reference_check(reference_id);

        CREATE TABLE notice_acknowledgement (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
            notice_id INTEGER NOT NULL REFERENCES notice(id),
            acknowledged_at DATETIME NOT NULL,
            -- What the notice listed beside its text, e.g. the transfer destinations shown.
            shown_detail TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX notice_acknowledgement_application ON notice_acknowledgement(application_id);

        CREATE TABLE consent (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
            notice_id INTEGER NOT NULL REFERENCES notice(id),
            given_at DATETIME NOT NULL,
            until DATETIME NOT NULL,
            method TEXT NOT NULL CHECK (method IN ('applicant', 'hr')),
            recorded_by INTEGER REFERENCES staff_user(id) ON DELETE SET NULL,
            evidence TEXT,
            withdrawn_at DATETIME
        );
        CREATE INDEX consent_application ON consent(application_id);

        CREATE TABLE status_change (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
            status TEXT NOT NULL,
            changed_by INTEGER REFERENCES staff_user(id) ON DELETE SET NULL,
            changed_at DATETIME NOT NULL
        );
        CREATE INDEX status_change_application ON status_change(application_id);

        CREATE TABLE assessment (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
            staff_user_id INTEGER NOT NULL REFERENCES staff_user(id) ON DELETE CASCADE,
            competencies INTEGER NOT NULL CHECK (competencies BETWEEN 1 AND 5),
            qualifications INTEGER NOT NULL CHECK (qualifications BETWEEN 1 AND 5),
            experience INTEGER NOT NULL CHECK (experience BETWEEN 1 AND 5),
            notes TEXT NOT NULL DEFAULT '',
            created_at DATETIME NOT NULL,
            updated_at DATETIME NOT NULL,
            UNIQUE (application_id, staff_user_id)
        );

        CREATE TABLE transfer_record (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
            destination_id INTEGER NOT NULL REFERENCES transfer_destination(id),
            what TEXT NOT NULL,
            shared_on TEXT NOT NULL,
            recorded_by INTEGER REFERENCES staff_user(id) ON DELETE SET NULL,
            created_at DATETIME NOT NULL
        );
        CREATE INDEX transfer_record_application ON transfer_record(application_id);

        CREATE TABLE audit_event (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            occurred_at INTEGER NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            subject_type TEXT,
            subject_id INTEGER,
            detail TEXT NOT NULL DEFAULT '',
            previous_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );

        CREATE TABLE purge_record (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            purged_at DATETIME NOT NULL,
            as_of DATETIME NOT NULL,
            reason TEXT NOT NULL CHECK (reason IN ('retention', 'erasure', 'withdrawal')),
            applications INTEGER NOT NULL,
            documents INTEGER NOT NULL
        );

        CREATE TABLE pending_file_removal (
            storage_name TEXT PRIMARY KEY NOT NULL,
            queued_at DATETIME NOT NULL
        );
        """

    // Partners an applicant was told about are kept per application; a removed partner stays on
    // record (removed_at) so acknowledgements and transfers keep pointing at it. Sign-in
    // failures are counted per keyed HMAC (no address or e-mail stored), shared by instances.
    private static let schemaV2 = """
        ALTER TABLE transfer_destination ADD COLUMN removed_at DATETIME;

        CREATE TABLE acknowledged_destination (
            application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
            destination_id INTEGER NOT NULL REFERENCES transfer_destination(id),
            PRIMARY KEY (application_id, destination_id)
        ) WITHOUT ROWID;

        INSERT OR IGNORE INTO acknowledged_destination (application_id, destination_id)
        SELECT notice_acknowledgement.application_id, transfer_destination.id
        FROM notice_acknowledgement
        JOIN notice ON notice.id = notice_acknowledgement.notice_id AND notice.kind = 'transfer'
        JOIN application ON application.id = notice_acknowledgement.application_id
        JOIN transfer_destination ON transfer_destination.vacancy_id = application.vacancy_id
        WHERE instr(notice_acknowledgement.shown_detail,
                    transfer_destination.country || ': ' || transfer_destination.recipient || ' (' || transfer_destination.safeguard || ')') > 0;

        CREATE TABLE sign_in_throttle (
            key BLOB PRIMARY KEY NOT NULL,
            failures INTEGER NOT NULL,
            window_started_at DATETIME NOT NULL,
            last_failure_at DATETIME NOT NULL,
            locked_until DATETIME
        );
        CREATE INDEX sign_in_throttle_last_failure ON sign_in_throttle(last_failure_at);

        CREATE TABLE password_reset (
            staff_user_id INTEGER PRIMARY KEY NOT NULL REFERENCES staff_user(id) ON DELETE CASCADE,
            code_hash BLOB NOT NULL,
            created_at DATETIME NOT NULL,
            expires_at DATETIME NOT NULL
        );
        """

    // Mail leaves through an outbox written in the event's own transaction. A message of an
    // application is erased with it (cascade); a delivered one keeps only kind, times and status;
    // the erasure notice (no application) is deleted once delivered or failed. An application
    // may have several private links (a reminder carries one; lost-link recovery replaces all).
    private static let schemaV3 = """
        CREATE TABLE outbox_message (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            application_id INTEGER REFERENCES application(id) ON DELETE CASCADE,
            staff_user_id INTEGER REFERENCES staff_user(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('receipt', 'lost_link', 'reminder', 'message', 'reply_notice', 'erasure_notice', 'password_reset')),
            message_id TEXT NOT NULL UNIQUE,
            recipient TEXT,
            recipient_name TEXT,
            subject TEXT,
            body TEXT,
            automatic BOOLEAN NOT NULL,
            reminder_for DATETIME,
            status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'delivered', 'failed', 'cancelled')),
            attempts INTEGER NOT NULL DEFAULT 0,
            created_at DATETIME NOT NULL,
            next_attempt_at DATETIME NOT NULL,
            lease_until DATETIME,
            finished_at DATETIME,
            last_error TEXT
        );
        CREATE INDEX outbox_message_due ON outbox_message(status, next_attempt_at);
        CREATE INDEX outbox_message_application ON outbox_message(application_id);
        CREATE UNIQUE INDEX outbox_message_one_reminder ON outbox_message(application_id, reminder_for) WHERE kind = 'reminder';

        CREATE TABLE private_link (
            token_hash BLOB PRIMARY KEY NOT NULL,
            application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
            created_at DATETIME NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX private_link_application ON private_link(application_id);

        CREATE TABLE thread_message (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
            author TEXT NOT NULL CHECK (author IN ('applicant', 'staff')),
            staff_user_id INTEGER REFERENCES staff_user(id) ON DELETE SET NULL,
            subject TEXT,
            body TEXT NOT NULL,
            created_at DATETIME NOT NULL
        );
        CREATE INDEX thread_message_application ON thread_message(application_id);

        CREATE TABLE message_template (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            purpose TEXT NOT NULL UNIQUE CHECK (purpose IN ('interview', 'rejection', 'offer')),
            subject TEXT NOT NULL,
            body TEXT NOT NULL,
            updated_at DATETIME NOT NULL,
            updated_by INTEGER REFERENCES staff_user(id) ON DELETE SET NULL
        );
        """
}
