//! What the tool remembers between runs: every call made, request drafts, and where the
//! explorer was. `SQLite` (WAL) in the platform data dir; never a secret.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, ErrorCode, OptionalExtension, TransactionBehavior, params};

use crate::cyclr::{MASK, mask_json};

/// What is recorded about one call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    /// Unix time in ms when the call was sent.
    pub time_ms: i64,
    /// The profile used; "" when none.
    pub profile: String,
    /// The instance's base URL.
    pub instance: String,
    /// The `X-Cyclr-Account` value; "" at partner level.
    pub account: String,
    /// The account connector called.
    pub account_connector_id: i64,
    /// The connector's name, as shown.
    pub connector_name: String,
    /// The method's Id, when known.
    pub method_id: Option<i64>,
    /// The method's `MethodUniqueIdentifier`, when it has one.
    pub method_uid: Option<String>,
    /// The method's name, as shown.
    pub method_name: String,
    /// Which endpoint: "call", "test" or "body".
    pub endpoint: String,
    /// The HTTP verb: POST or GET.
    pub http_method: String,
    /// The URL requested.
    pub url: String,
    /// The request's headers, in order.
    pub request_headers: Vec<(String, String)>,
    /// The request's body, as the user typed it.
    pub request_body: String,
    /// The HTTP status; None when no response came (network error).
    pub status: Option<u16>,
    /// The error line when the call failed.
    pub error: Option<String>,
    /// How long the call took.
    pub elapsed_ms: u64,
    /// The response body's length in bytes (even when the body is not stored).
    pub size: u64,
    /// The response's headers, in order.
    pub response_headers: Vec<(String, String)>,
    /// The response's body; None when there was none (or it is not kept).
    pub response_body: Option<bytes::Bytes>,
}

/// One row of a history list (no bodies).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// The entry's id, for [`History::get`].
    pub id: i64,
    /// Unix time in ms when the call was sent.
    pub time_ms: i64,
    /// The profile used; "" when none.
    pub profile: String,
    /// The `X-Cyclr-Account` value; "" at partner level.
    pub account: String,
    /// The account connector called.
    pub account_connector_id: i64,
    /// The connector's name.
    pub connector_name: String,
    /// The method's Id, when known.
    pub method_id: Option<i64>,
    /// The method's `MethodUniqueIdentifier`, when it has one.
    pub method_uid: Option<String>,
    /// The method's name.
    pub method_name: String,
    /// Which endpoint: "call", "test" or "body".
    pub endpoint: String,
    /// The HTTP verb.
    pub http_method: String,
    /// The HTTP status; None when no response came.
    pub status: Option<u16>,
    /// The error line when the call failed.
    pub error: Option<String>,
    /// How long the call took.
    pub elapsed_ms: u64,
    /// The response body's length in bytes.
    pub size: u64,
}

/// One call as recorded, with what was kept of its response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The entry's id.
    pub id: i64,
    /// The call, secrets masked, bodies as kept.
    pub record: Record,
    /// True when the stored response body is cut at the limit, or was not stored.
    pub body_truncated: bool,
}

impl Entry {
    /// The entry as a history list shows it.
    #[must_use]
    pub fn summary(&self) -> Summary {
        let r = &self.record;
        Summary {
            id: self.id,
            time_ms: r.time_ms,
            profile: r.profile.clone(),
            account: r.account.clone(),
            account_connector_id: r.account_connector_id,
            connector_name: r.connector_name.clone(),
            method_id: r.method_id,
            method_uid: r.method_uid.clone(),
            method_name: r.method_name.clone(),
            endpoint: r.endpoint.clone(),
            http_method: r.http_method.clone(),
            status: r.status,
            error: r.error.clone(),
            elapsed_ms: r.elapsed_ms,
            size: r.size,
        }
    }
}

/// How much is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Whether response bodies are stored at all.
    pub store_bodies: bool,
    /// Response bodies are cut at this many bytes (default 2 MiB); requests are kept whole.
    pub max_body: u64,
    /// At most this many calls are kept, the newest (default 10 000; 0 = no limit).
    pub max_entries: u64,
    /// Calls older than this many days go (default 90; 0 = no limit).
    pub max_age_days: u64,
}

impl Default for Retention {
    fn default() -> Self {
        Self {
            store_bodies: true,
            max_body: 2 * 1024 * 1024,
            max_entries: 10_000,
            max_age_days: 90,
        }
    }
}

/// Which entries a list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Only calls of this `MethodUniqueIdentifier`.
    pub method_uid: Option<String>,
    /// Only calls of this method Id.
    pub method_id: Option<i64>,
    /// Only calls to this account connector.
    pub account_connector_id: Option<i64>,
    /// At most this many, the newest (0 = no limit).
    pub limit: usize,
}

/// Why the history could not be read or written. Each message names the file.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// Another process holds the database.
    #[error("history {} is locked by another process; try again when it is done", .path.display())]
    Locked {
        /// The database file.
        path: PathBuf,
    },
    /// The file is not a database, or is damaged.
    #[error(
        "history {} is not a usable database ({detail}); move it away and a new one is started",
        .path.display()
    )]
    Corrupt {
        /// The database file.
        path: PathBuf,
        /// What `SQLite` said.
        detail: String,
    },
    /// The file, its folder or the disk cannot be written.
    #[error("history {} cannot be written: read-only file or disk ({detail})", .path.display())]
    ReadOnly {
        /// The database file.
        path: PathBuf,
        /// What the system said.
        detail: String,
    },
    /// The file or its folder could not be made or opened.
    #[error("history {}: {detail}", .path.display())]
    Io {
        /// The database file.
        path: PathBuf,
        /// What the system said.
        detail: String,
    },
    /// Anything else `SQLite` reported.
    #[error("history {}: {detail}", .path.display())]
    Other {
        /// The database file.
        path: PathBuf,
        /// What went wrong.
        detail: String,
    },
}

/// The history database: one connection, used from one thread at a time.
pub struct History {
    conn: Connection,
    path: Option<PathBuf>,
    retention: Retention,
    inserts_since_prune: u32,
}

impl std::fmt::Debug for History {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("History")
            .field("path", &self.name())
            .field("retention", &self.retention)
            .finish_non_exhaustive()
    }
}

/// The schema this code writes (`PRAGMA user_version`).
const SCHEMA_VERSION: i64 = 2;

/// Retention is applied after this many records.
const PRUNE_EVERY: u32 = 100;

/// How long a write waits for another process before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_millis(250);

/// The name shown for an in-memory database.
const MEMORY_NAME: &str = ":memory:";

const SCHEMA_V1: &str = "
CREATE TABLE calls (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time_ms INTEGER NOT NULL,
    profile TEXT NOT NULL,
    instance TEXT NOT NULL,
    account TEXT NOT NULL,
    account_connector_id INTEGER NOT NULL,
    connector_name TEXT NOT NULL,
    method_id INTEGER,
    method_uid TEXT,
    method_name TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    http_method TEXT NOT NULL,
    url TEXT NOT NULL,
    status INTEGER,
    error TEXT,
    elapsed_ms INTEGER NOT NULL,
    size INTEGER NOT NULL,
    body_truncated INTEGER NOT NULL
);
CREATE INDEX calls_time ON calls (time_ms);
CREATE INDEX calls_method_uid ON calls (method_uid, time_ms);
CREATE INDEX calls_method_id ON calls (method_id, time_ms);
CREATE INDEX calls_account_connector ON calls (account_connector_id, time_ms);
CREATE TABLE call_bodies (
    call_id INTEGER PRIMARY KEY REFERENCES calls (id) ON DELETE CASCADE,
    request_headers TEXT NOT NULL,
    request_body TEXT NOT NULL,
    response_headers TEXT NOT NULL,
    response_body BLOB
);
CREATE TABLE drafts (
    profile TEXT NOT NULL,
    account_connector_id INTEGER NOT NULL,
    method_key TEXT NOT NULL,
    text TEXT NOT NULL,
    updated_ms INTEGER NOT NULL,
    PRIMARY KEY (profile, account_connector_id, method_key)
) WITHOUT ROWID;
CREATE TABLE state (
    profile TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (profile, key)
) WITHOUT ROWID;
";

/// Version 2: the jq filters used on each method's responses.
const SCHEMA_V2: &str = "
CREATE TABLE filters (
    profile TEXT NOT NULL,
    method_key TEXT NOT NULL,
    filter TEXT NOT NULL,
    used_ms INTEGER NOT NULL,
    PRIMARY KEY (profile, method_key, filter)
) WITHOUT ROWID;
";

/// Filters kept per method (the oldest used go first).
pub const FILTERS_KEPT: usize = 50;

/// The summary columns, in the order [`summary_from_row`] reads them.
const SUMMARY_COLUMNS: &str = "id, time_ms, profile, account, account_connector_id, \
     connector_name, method_id, method_uid, method_name, endpoint, http_method, status, error, \
     elapsed_ms, size";

impl History {
    /// The database file in the platform data dir (`…/cyclr-tui/history.sqlite3`); None when
    /// there is no home directory.
    pub fn default_path() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "cyclr-tui")
            .map(|dirs| dirs.data_dir().join("history.sqlite3"))
    }

    /// Opens the database at `path` (creating its folders with mode 700 and the file with
    /// mode 600 on unix) and brings its schema up to date.
    pub fn open(path: &Path, retention: Retention) -> Result<History, HistoryError> {
        prepare_file(path)?;
        let conn = Connection::open(path).map_err(|e| sql_error(path, &e))?;
        Self::setup(conn, Some(path.to_path_buf()), retention)
    }

    /// A database that lives only as long as the value (tests, benchmarks, or when no file
    /// can be used).
    pub fn open_in_memory(retention: Retention) -> Result<History, HistoryError> {
        let conn =
            Connection::open_in_memory().map_err(|e| sql_error(Path::new(MEMORY_NAME), &e))?;
        Self::setup(conn, None, retention)
    }

    /// The database file; None when in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    fn setup(
        mut conn: Connection,
        path: Option<PathBuf>,
        retention: Retention,
    ) -> Result<History, HistoryError> {
        let name = path.clone().unwrap_or_else(|| PathBuf::from(MEMORY_NAME));
        let err = |e: rusqlite::Error| sql_error(&name, &e);
        conn.busy_timeout(BUSY_TIMEOUT).map_err(err)?;
        // In memory the journal mode stays "memory"; on disk WAL lets readers and the one
        // writer get along.
        let _mode: String = conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
            .map_err(err)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(err)?;
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(err)?;
        migrate(&mut conn).map_err(|e| match e {
            Migration::Sql(e) => err(e),
            Migration::TooNew(version) => HistoryError::Other {
                path: name.clone(),
                detail: format!(
                    "written by a newer cyclr-tui (schema {version}, this one knows {SCHEMA_VERSION})"
                ),
            },
        })?;
        Ok(History {
            conn,
            path,
            retention,
            inserts_since_prune: PRUNE_EVERY,
        })
    }

    fn name(&self) -> &Path {
        self.path.as_deref().unwrap_or(Path::new(MEMORY_NAME))
    }

    fn err(&self, e: &rusqlite::Error) -> HistoryError {
        sql_error(self.name(), e)
    }

    /// Records one call, secrets masked and bodies cut as retention says; returns its id.
    /// Every hundred records or so, also drops what retention says is too old or too many.
    pub fn record(&mut self, record: &Record) -> Result<i64, HistoryError> {
        let kept = Kept::new(record, &self.retention);
        let id = self.insert(record, &kept).map_err(|e| self.err(&e))?;
        self.inserts_since_prune += 1;
        if self.inserts_since_prune >= PRUNE_EVERY {
            // The call is already safe; a prune that fails now is tried again next time.
            if self.prune().is_ok() {
                self.inserts_since_prune = 0;
            }
        }
        Ok(id)
    }

    fn insert(&mut self, record: &Record, kept: &Kept<'_>) -> rusqlite::Result<i64> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let id = {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO calls (time_ms, profile, instance, account, account_connector_id, \
                 connector_name, method_id, method_uid, method_name, endpoint, http_method, url, \
                 status, error, elapsed_ms, size, body_truncated) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
            )?;
            stmt.execute(params![
                record.time_ms,
                record.profile,
                record.instance,
                record.account,
                record.account_connector_id,
                record.connector_name,
                record.method_id,
                record.method_uid,
                record.method_name,
                record.endpoint,
                record.http_method,
                kept.url,
                record.status,
                kept.error,
                to_i64(record.elapsed_ms),
                to_i64(record.size),
                kept.body_truncated,
            ])?;
            tx.last_insert_rowid()
        };
        tx.prepare_cached(
            "INSERT INTO call_bodies (call_id, request_headers, request_body, response_headers, \
             response_body) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            id,
            kept.request_headers,
            kept.request_body,
            kept.response_headers,
            kept.response_body,
        ])?;
        tx.commit()?;
        Ok(id)
    }

    /// The calls `query` selects, newest first, without their bodies.
    pub fn list(&self, query: &Query) -> Result<Vec<Summary>, HistoryError> {
        self.list_rows(query).map_err(|e| self.err(&e))
    }

    fn list_rows(&self, query: &Query) -> rusqlite::Result<Vec<Summary>> {
        use rusqlite::types::Value;
        let mut sql = format!("SELECT {SUMMARY_COLUMNS} FROM calls");
        let mut conditions: Vec<&str> = Vec::new();
        let mut values: Vec<Value> = Vec::new();
        if let Some(uid) = &query.method_uid {
            conditions.push("method_uid = ?");
            values.push(Value::Text(uid.clone()));
        }
        if let Some(id) = query.method_id {
            conditions.push("method_id = ?");
            values.push(Value::Integer(id));
        }
        if let Some(id) = query.account_connector_id {
            conditions.push("account_connector_id = ?");
            values.push(Value::Integer(id));
        }
        if !conditions.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&conditions.join(" AND "));
        }
        if query.limit > 0 {
            sql.push_str(" ORDER BY time_ms DESC, id DESC LIMIT ?");
            values.push(Value::Integer(
                i64::try_from(query.limit).unwrap_or(i64::MAX),
            ));
        }
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(values), summary_from_row)?;
        let mut out = Vec::with_capacity(query.limit.min(4096));
        for row in rows {
            out.push(row?);
        }
        if query.limit == 0 {
            // Reading the table in its own order and sorting here is quicker than walking
            // the time index and looking up every row.
            out.sort_unstable_by_key(|s| std::cmp::Reverse((s.time_ms, s.id)));
        }
        Ok(out)
    }

    /// One call with what was kept of its bodies; None when there is no such id (or it was
    /// pruned).
    pub fn get(&self, id: i64) -> Result<Option<Entry>, HistoryError> {
        self.get_row(id).map_err(|e| self.err(&e))
    }

    fn get_row(&self, id: i64) -> rusqlite::Result<Option<Entry>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.time_ms, c.profile, c.instance, c.account, c.account_connector_id, \
             c.connector_name, c.method_id, c.method_uid, c.method_name, c.endpoint, \
             c.http_method, c.url, c.status, c.error, c.elapsed_ms, c.size, c.body_truncated, \
             b.request_headers, b.request_body, b.response_headers, b.response_body \
             FROM calls c LEFT JOIN call_bodies b ON b.call_id = c.id WHERE c.id = ?1",
        )?;
        stmt.query_row([id], |row| {
            let request_headers: Option<String> = row.get(17)?;
            let response_headers: Option<String> = row.get(19)?;
            let record = Record {
                time_ms: row.get(0)?,
                profile: row.get(1)?,
                instance: row.get(2)?,
                account: row.get(3)?,
                account_connector_id: row.get(4)?,
                connector_name: row.get(5)?,
                method_id: row.get(6)?,
                method_uid: row.get(7)?,
                method_name: row.get(8)?,
                endpoint: row.get(9)?,
                http_method: row.get(10)?,
                url: row.get(11)?,
                status: to_status(row.get(12)?),
                error: row.get(13)?,
                elapsed_ms: to_u64(row.get(14)?),
                size: to_u64(row.get(15)?),
                request_headers: headers_from_json(request_headers.as_deref()),
                request_body: row.get::<_, Option<String>>(18)?.unwrap_or_default(),
                response_headers: headers_from_json(response_headers.as_deref()),
                response_body: row.get::<_, Option<Vec<u8>>>(20)?.map(bytes::Bytes::from),
            };
            Ok(Entry {
                id,
                record,
                body_truncated: row.get(16)?,
            })
        })
        .optional()
    }

    /// Deletes what retention says is too old or too many; returns how many calls went.
    pub fn prune(&mut self) -> Result<u64, HistoryError> {
        let retention = self.retention;
        let now = now_ms();
        self.prune_rows(retention, now).map_err(|e| self.err(&e))
    }

    fn prune_rows(&mut self, retention: Retention, now_ms: i64) -> rusqlite::Result<u64> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut gone = 0;
        if retention.max_age_days > 0 {
            let age_ms = to_i64(retention.max_age_days).saturating_mul(86_400_000);
            let cutoff = now_ms.saturating_sub(age_ms);
            gone += tx.execute("DELETE FROM calls WHERE time_ms < ?1", [cutoff])?;
        }
        if retention.max_entries > 0 {
            // The newest entry that is one too many; it and everything older go.
            let first_gone: Option<(i64, i64)> = tx
                .query_row(
                    "SELECT time_ms, id FROM calls ORDER BY time_ms DESC, id DESC \
                     LIMIT 1 OFFSET ?1",
                    [to_i64(retention.max_entries)],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional()?;
            if let Some((time_ms, id)) = first_gone {
                gone += tx.execute(
                    "DELETE FROM calls WHERE time_ms < ?1 OR (time_ms = ?1 AND id <= ?2)",
                    [time_ms, id],
                )?;
            }
        }
        tx.commit()?;
        Ok(gone as u64)
    }

    /// Keeps `text` as the editor's draft for this profile, account connector and method
    /// (`MethodUniqueIdentifier`, or the Id as text when there is none), replacing any before.
    pub fn save_draft(
        &mut self,
        profile: &str,
        account_connector_id: i64,
        method_key: &str,
        text: &str,
    ) -> Result<(), HistoryError> {
        self.conn
            .prepare_cached(
                "INSERT INTO drafts (profile, account_connector_id, method_key, text, updated_ms) \
                 VALUES (?1, ?2, ?3, ?4, ?5) \
                 ON CONFLICT (profile, account_connector_id, method_key) \
                 DO UPDATE SET text = excluded.text, updated_ms = excluded.updated_ms",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    profile,
                    account_connector_id,
                    method_key,
                    text,
                    now_ms()
                ])
            })
            .map(drop)
            .map_err(|e| self.err(&e))
    }

    /// The draft saved for this profile, account connector and method, if any.
    pub fn draft(
        &self,
        profile: &str,
        account_connector_id: i64,
        method_key: &str,
    ) -> Result<Option<String>, HistoryError> {
        self.conn
            .prepare_cached(
                "SELECT text FROM drafts \
                 WHERE profile = ?1 AND account_connector_id = ?2 AND method_key = ?3",
            )
            .and_then(|mut stmt| {
                stmt.query_row(params![profile, account_connector_id, method_key], |row| {
                    row.get(0)
                })
                .optional()
            })
            .map_err(|e| self.err(&e))
    }

    /// Forgets the draft for this profile, account connector and method (no error when there
    /// is none).
    pub fn delete_draft(
        &mut self,
        profile: &str,
        account_connector_id: i64,
        method_key: &str,
    ) -> Result<(), HistoryError> {
        self.conn
            .prepare_cached(
                "DELETE FROM drafts \
                 WHERE profile = ?1 AND account_connector_id = ?2 AND method_key = ?3",
            )
            .and_then(|mut stmt| stmt.execute(params![profile, account_connector_id, method_key]))
            .map(drop)
            .map_err(|e| self.err(&e))
    }

    /// Every draft of `profile`: account connector, method key and text.
    pub fn drafts(&self, profile: &str) -> Result<Vec<(i64, String, String)>, HistoryError> {
        let run = || -> rusqlite::Result<Vec<(i64, String, String)>> {
            let mut stmt = self.conn.prepare(
                "SELECT account_connector_id, method_key, text FROM drafts WHERE profile = ?1",
            )?;
            let rows = stmt.query_map(params![profile], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })?;
            rows.collect()
        };
        run().map_err(|e| self.err(&e))
    }

    /// Sets one item of small UI state (last profile, account, connector, method, pane) for
    /// `profile`.
    pub fn set_state(&mut self, profile: &str, key: &str, value: &str) -> Result<(), HistoryError> {
        self.conn
            .prepare_cached(
                "INSERT INTO state (profile, key, value) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (profile, key) DO UPDATE SET value = excluded.value",
            )
            .and_then(|mut stmt| stmt.execute(params![profile, key, value]))
            .map(drop)
            .map_err(|e| self.err(&e))
    }

    /// Remembers that `filter` was used on the responses of method `method_key` (its
    /// `MethodUniqueIdentifier`, else its Id), keeping the [`FILTERS_KEPT`] used last.
    pub fn save_filter(
        &mut self,
        profile: &str,
        method_key: &str,
        filter: &str,
    ) -> Result<(), HistoryError> {
        let run = |conn: &mut Connection| -> rusqlite::Result<()> {
            let tx = conn.transaction()?;
            // Later than every other filter of the method, even within one millisecond.
            tx.execute(
                "INSERT INTO filters (profile, method_key, filter, used_ms) VALUES (?1, ?2, ?3, \
                 MAX(?4, (SELECT COALESCE(MAX(used_ms), 0) + 1 FROM filters \
                          WHERE profile = ?1 AND method_key = ?2))) \
                 ON CONFLICT (profile, method_key, filter) DO UPDATE SET used_ms = excluded.used_ms",
                params![profile, method_key, filter, now_ms()],
            )?;
            tx.execute(
                "DELETE FROM filters WHERE profile = ?1 AND method_key = ?2 AND filter NOT IN \
                 (SELECT filter FROM filters WHERE profile = ?1 AND method_key = ?2 \
                  ORDER BY used_ms DESC, filter LIMIT ?3)",
                params![profile, method_key, FILTERS_KEPT as i64],
            )?;
            tx.commit()
        };
        run(&mut self.conn).map_err(|e| self.err(&e))
    }

    /// The filters used on method `method_key`'s responses, the last used last.
    pub fn filters(&self, profile: &str, method_key: &str) -> Result<Vec<String>, HistoryError> {
        let run = || -> rusqlite::Result<Vec<String>> {
            let mut stmt = self.conn.prepare_cached(
                "SELECT filter FROM filters WHERE profile = ?1 AND method_key = ?2 \
                 ORDER BY used_ms, filter",
            )?;
            let rows = stmt.query_map(params![profile, method_key], |row| row.get(0))?;
            rows.collect()
        };
        run().map_err(|e| self.err(&e))
    }

    /// One item of UI state for `profile`, if set.
    pub fn state(&self, profile: &str, key: &str) -> Result<Option<String>, HistoryError> {
        self.conn
            .prepare_cached("SELECT value FROM state WHERE profile = ?1 AND key = ?2")
            .and_then(|mut stmt| {
                stmt.query_row(params![profile, key], |row| row.get(0))
                    .optional()
            })
            .map_err(|e| self.err(&e))
    }
}

enum Migration {
    Sql(rusqlite::Error),
    TooNew(i64),
}

impl From<rusqlite::Error> for Migration {
    fn from(e: rusqlite::Error) -> Self {
        Migration::Sql(e)
    }
}

/// Brings the schema to [`SCHEMA_VERSION`]; does not write when it is already there.
fn migrate(conn: &mut Connection) -> Result<(), Migration> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if version == SCHEMA_VERSION {
        return Ok(());
    }
    if version > SCHEMA_VERSION {
        return Err(Migration::TooNew(version));
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Read again: another process may have migrated while this one waited.
    let version: i64 = tx.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if version < 1 {
        tx.execute_batch(SCHEMA_V1)?;
    }
    if version < 2 {
        tx.execute_batch(SCHEMA_V2)?;
    }
    if version < SCHEMA_VERSION {
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    }
    tx.commit()?;
    Ok(())
}

/// Makes the folders (700) and an empty file (600) before `SQLite` opens it, so that neither
/// is ever readable by others.
fn prepare_file(path: &Path) -> Result<(), HistoryError> {
    use std::fs;
    let io_err = |e: &std::io::Error| io_error(path, e);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder.create(dir).map_err(|e| io_err(&e))?;
    }
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(io_err(&e)),
    }
}

fn io_error(path: &Path, e: &std::io::Error) -> HistoryError {
    use std::io::ErrorKind;
    let path = path.to_path_buf();
    let detail = e.to_string();
    match e.kind() {
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => {
            HistoryError::ReadOnly { path, detail }
        }
        _ => HistoryError::Io { path, detail },
    }
}

/// Maps an `SQLite` error to what the caller can act on, naming the file.
fn sql_error(path: &Path, e: &rusqlite::Error) -> HistoryError {
    let path = path.to_path_buf();
    let detail = e.to_string();
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => HistoryError::Locked { path },
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => {
            HistoryError::Corrupt { path, detail }
        }
        Some(ErrorCode::ReadOnly | ErrorCode::PermissionDenied) => {
            HistoryError::ReadOnly { path, detail }
        }
        Some(ErrorCode::CannotOpen | ErrorCode::SystemIoFailure | ErrorCode::DiskFull) => {
            HistoryError::Io { path, detail }
        }
        _ => HistoryError::Other { path, detail },
    }
}

fn summary_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Summary> {
    Ok(Summary {
        id: row.get(0)?,
        time_ms: row.get(1)?,
        profile: row.get(2)?,
        account: row.get(3)?,
        account_connector_id: row.get(4)?,
        connector_name: row.get(5)?,
        method_id: row.get(6)?,
        method_uid: row.get(7)?,
        method_name: row.get(8)?,
        endpoint: row.get(9)?,
        http_method: row.get(10)?,
        status: to_status(row.get(11)?),
        error: row.get(12)?,
        elapsed_ms: to_u64(row.get(13)?),
        size: to_u64(row.get(14)?),
    })
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn to_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

fn to_status(n: Option<i64>) -> Option<u16> {
    n.and_then(|n| u16::try_from(n).ok())
}

fn headers_from_json(text: Option<&str>) -> Vec<(String, String)> {
    text.and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or_default()
}

/// What of a record is written: secrets masked, bodies cut.
struct Kept<'a> {
    url: Cow<'a, str>,
    error: Option<Cow<'a, str>>,
    request_headers: String,
    request_body: String,
    response_headers: String,
    response_body: Option<Vec<u8>>,
    body_truncated: bool,
}

impl<'a> Kept<'a> {
    fn new(record: &'a Record, retention: &Retention) -> Self {
        let max = usize::try_from(retention.max_body).unwrap_or(usize::MAX);
        // The request is kept whole (it is what the user sent, and what a replay sends).
        let request_body = mask_request_body(&record.request_body);
        let (response_body, response_cut) = match &record.response_body {
            None => (None, false),
            Some(body) if !retention.store_bodies => (None, !body.is_empty()),
            // Only what is kept is masked: a body over the limit is cut first, and its secrets
            // found in the text (a cut body is no JSON to parse; parsing a big one would also
            // cost many times its size in memory).
            Some(body) if body.len() > max => {
                let mut kept = body[..max].to_vec();
                mask_json_text(&mut kept);
                let masked = mask_form(&kept).unwrap_or(kept);
                (Some(masked), true)
            }
            Some(body) => (Some(mask_response_body(body).into_owned()), false),
        };
        Kept {
            url: mask_form_str(&record.url),
            error: record.error.as_deref().map(mask_form_str),
            request_headers: headers_to_json(&record.request_headers),
            request_body,
            response_headers: headers_to_json(&record.response_headers),
            response_body,
            body_truncated: response_cut,
        }
    }
}

/// True when a header's value is a secret.
fn is_secret_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    matches!(
        name.as_str(),
        "authorization" | "proxy-authorization" | "cookie" | "set-cookie" | "x-api-key"
    ) || ["token", "secret", "password", "api-key", "apikey"]
        .iter()
        .any(|word| name.contains(word))
}

/// The header's value as it may be stored.
fn mask_header_value(name: &str, value: &str) -> String {
    if !is_secret_header(name) {
        return value.to_string();
    }
    let bearer = value
        .get(..7)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("bearer "));
    if bearer {
        format!("Bearer {MASK}")
    } else {
        MASK.to_string()
    }
}

fn headers_to_json(headers: &[(String, String)]) -> String {
    let masked: Vec<serde_json::Value> = headers
        .iter()
        .map(|(name, value)| serde_json::json!([name, mask_header_value(name, value)]))
        .collect();
    serde_json::Value::Array(masked).to_string()
}

/// Masks a JSON value's secrets; Some(the value) when it had any.
fn masked_json(bytes: &[u8]) -> Option<serde_json::Value> {
    let mut value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    if !has_secret(&value) {
        return None;
    }
    mask_json(&mut value);
    Some(value)
}

/// True when a secret-named key holds something other than null.
fn has_secret(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::Object(map) => map
            .iter()
            .any(|(key, v)| (crate::cyclr::is_secret_key(key) && !v.is_null()) || has_secret(v)),
        serde_json::Value::Array(items) => items.iter().any(has_secret),
        _ => false,
    }
}

/// Masks, in JSON text that may be cut anywhere, the string, number or literal after every
/// secret-named key (`"access_token": "…"` → `"access_token": "********"`).
fn mask_json_text(text: &mut Vec<u8>) {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        if text[i] != b'"' {
            out.push(text[i]);
            i += 1;
            continue;
        }
        let end = string_end(text, i);
        out.extend_from_slice(&text[i..end]);
        let key = std::str::from_utf8(&text[(i + 1).min(end)..end.saturating_sub(1).max(i + 1)])
            .unwrap_or("");
        i = end;
        // A key: whitespace, a colon, whitespace, then its value.
        let mut j = i;
        while j < text.len() && text[j].is_ascii_whitespace() {
            j += 1;
        }
        if j >= text.len() || text[j] != b':' || !crate::cyclr::is_secret_key(key) {
            continue;
        }
        j += 1;
        while j < text.len() && text[j].is_ascii_whitespace() {
            j += 1;
        }
        out.extend_from_slice(&text[i..j]);
        i = j;
        let value_end = match text.get(j) {
            Some(b'"') => string_end(text, j),
            Some(b'{' | b'[') | None => continue,
            Some(_) => {
                let mut k = j;
                while k < text.len() && !matches!(text[k], b',' | b'}' | b']') {
                    k += 1;
                }
                k
            }
        };
        if &text[j..value_end] == b"null" {
            continue;
        }
        out.push(b'"');
        out.extend_from_slice(MASK.as_bytes());
        out.push(b'"');
        i = value_end;
    }
    *text = out;
}

/// Where the JSON string starting with the quote at `start` ends (after its closing quote;
/// the end of `text` when it is cut before).
fn string_end(text: &[u8], start: usize) -> usize {
    let mut k = start + 1;
    while k < text.len() {
        match text[k] {
            b'\\' => k += 2,
            b'"' => return k + 1,
            _ => k += 1,
        }
    }
    text.len()
}

/// A request body as it may be stored: JSON secrets masked (then written compact), and the
/// secrets of a form-encoded body.
fn mask_request_body(body: &str) -> String {
    let body: Cow<'_, str> = match masked_json(body.as_bytes()) {
        Some(value) => Cow::Owned(value.to_string()),
        None => Cow::Borrowed(body),
    };
    mask_form_str(&body).into_owned()
}

/// A response body as it may be stored: JSON re-written only when it held a secret;
/// anything else as it came, but for `access_token=…`-style pairs.
fn mask_response_body(body: &[u8]) -> Cow<'_, [u8]> {
    if let Some(value) = masked_json(body) {
        return Cow::Owned(value.to_string().into_bytes());
    }
    match mask_form(body) {
        Some(masked) => Cow::Owned(masked),
        None => Cow::Borrowed(body),
    }
}

/// Keys whose `key=value` values are masked in forms, query strings and other text.
const FORM_SECRET_KEYS: &[&[u8]] = &[
    b"client_secret=",
    b"access_token=",
    b"refresh_token=",
    b"password=",
];

/// Masks the value of every `client_secret=…`-style pair in `text` (keys without case; the
/// value ends at `&`, white space, a quote or other delimiter). None when nothing changed.
fn mask_form(text: &[u8]) -> Option<Vec<u8>> {
    let lower = text.to_ascii_lowercase();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for key in FORM_SECRET_KEYS {
        let mut from = 0;
        while let Some(at) = find(&lower[from..], key) {
            let start = from + at + key.len();
            let len = text[start..]
                .iter()
                .position(|&b| {
                    b.is_ascii_whitespace()
                        || matches!(b, b'&' | b'"' | b'\'' | b'<' | b'>' | b';' | b',' | b'\\')
                })
                .unwrap_or(text.len() - start);
            let value = &text[start..start + len];
            if !value.is_empty() && value != MASK.as_bytes() {
                spans.push((start, start + len));
            }
            from = start + len;
        }
    }
    if spans.is_empty() {
        return None;
    }
    spans.sort_unstable();
    let mut out = Vec::with_capacity(text.len());
    let mut at = 0;
    for (start, end) in spans {
        if start < at {
            // Overlapping pair (a key inside another's value): already masked.
            at = at.max(end);
            continue;
        }
        out.extend_from_slice(&text[at..start]);
        out.extend_from_slice(MASK.as_bytes());
        at = end;
    }
    out.extend_from_slice(&text[at..]);
    Some(out)
}

/// [`mask_form`] for text. Masking replaces whole runs between ASCII bytes, so the result
/// is still UTF-8.
fn mask_form_str(text: &str) -> Cow<'_, str> {
    match mask_form(text.as_bytes()) {
        Some(masked) => Cow::Owned(String::from_utf8_lossy(&masked).into_owned()),
        None => Cow::Borrowed(text),
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    fn sample(time_ms: i64) -> Record {
        Record {
            time_ms,
            profile: "dev".into(),
            instance: "https://api.cyclr.com".into(),
            account: "acc-1".into(),
            account_connector_id: 204511,
            connector_name: "Salesforce".into(),
            method_id: Some(3400015),
            method_uid: Some("uid-list-contacts".into()),
            method_name: "List Contacts".into(),
            endpoint: "call".into(),
            http_method: "POST".into(),
            url: "https://api.cyclr.com/v1.0/account/connectors/204511/methods/3400015/call".into(),
            request_headers: vec![("Content-Type".into(), "application/json".into())],
            request_body: "{\"Name\": \"x\"}".into(),
            status: Some(200),
            error: None,
            elapsed_ms: 123,
            size: 17,
            response_headers: vec![("Content-Type".into(), "application/json".into())],
            response_body: Some(bytes::Bytes::from_static(b"{\"Id\":1,\"Name\":\"x\"}")),
        }
    }

    fn round_trip(h: &mut History, r: &Record) -> Entry {
        let id = h.record(r).expect("record");
        h.get(id).expect("get").expect("present")
    }

    fn memory() -> History {
        History::open_in_memory(Retention::default()).expect("in-memory history")
    }

    #[test]
    fn record_and_get_round_trip() {
        let mut h = memory();
        let mut r = sample(now_ms());
        r.error = Some("boom".into());
        r.status = None;
        r.method_uid = None;
        let id = h.record(&r).expect("record");
        let entry = h.get(id).expect("get").expect("present");
        assert_eq!(entry.id, id);
        assert_eq!(entry.record, r);
        assert!(!entry.body_truncated);
        assert_eq!(h.get(id + 1000).expect("get"), None);
    }

    #[test]
    fn list_is_newest_first_and_filters() {
        let mut h = memory();
        let base = now_ms() - 10_000;
        let mut ids = Vec::new();
        for i in 0..6_i64 {
            let mut r = sample(base + i * 10);
            r.method_uid = Some(format!("uid-{}", i % 2));
            r.method_id = Some(100 + i % 3);
            r.account_connector_id = if i < 3 { 1 } else { 2 };
            ids.push(h.record(&r).expect("record"));
        }
        // Same time as the newest: the later id comes first.
        let tie = h.record(&sample(base + 50)).expect("record");

        let all = h.list(&Query::default()).expect("list");
        let got: Vec<i64> = all.iter().map(|s| s.id).collect();
        assert_eq!(
            got,
            vec![tie, ids[5], ids[4], ids[3], ids[2], ids[1], ids[0]]
        );
        assert_eq!(all[1].method_uid.as_deref(), Some("uid-1"));
        assert_eq!(all[1].status, Some(200));
        assert_eq!(all[1].elapsed_ms, 123);
        assert_eq!(all[1].size, 17);

        let ids_of =
            |q: Query| -> Vec<i64> { h.list(&q).expect("list").iter().map(|s| s.id).collect() };
        assert_eq!(
            ids_of(Query {
                method_uid: Some("uid-0".into()),
                ..Query::default()
            }),
            vec![ids[4], ids[2], ids[0]]
        );
        assert_eq!(
            ids_of(Query {
                method_id: Some(101),
                ..Query::default()
            }),
            vec![ids[4], ids[1]]
        );
        assert_eq!(
            ids_of(Query {
                account_connector_id: Some(2),
                ..Query::default()
            }),
            vec![ids[5], ids[4], ids[3]]
        );
        assert_eq!(
            ids_of(Query {
                account_connector_id: Some(1),
                method_uid: Some("uid-1".into()),
                ..Query::default()
            }),
            vec![ids[1]]
        );
        assert_eq!(
            ids_of(Query {
                limit: 2,
                ..Query::default()
            }),
            vec![tie, ids[5]]
        );
    }

    #[test]
    fn bodies_are_cut_at_max_body() {
        let retention = Retention {
            max_body: 10,
            ..Retention::default()
        };
        let mut h = History::open_in_memory(retention).expect("open");
        let mut r = sample(now_ms());
        r.response_body = Some(bytes::Bytes::from_static(b"0123456789abcdef"));
        r.request_body = "é".repeat(8); // 16 bytes, kept whole: a replay sends it
        let e = round_trip(&mut h, &r);
        assert_eq!(e.record.response_body.as_deref(), Some(&b"0123456789"[..]));
        assert_eq!(e.record.request_body, "é".repeat(8));
        assert!(e.body_truncated);

        let mut r = sample(now_ms());
        r.response_body = Some(bytes::Bytes::from_static(b"0123456789"));
        r.request_body = "{}".into();
        let e = round_trip(&mut h, &r);
        assert_eq!(e.record.response_body.as_deref(), Some(&b"0123456789"[..]));
        assert!(!e.body_truncated);
    }

    #[test]
    fn store_bodies_false_keeps_no_response_body() {
        let retention = Retention {
            store_bodies: false,
            ..Retention::default()
        };
        let mut h = History::open_in_memory(retention).expect("open");
        let r = sample(now_ms());
        let e = round_trip(&mut h, &r);
        assert_eq!(e.record.response_body, None);
        assert_eq!(e.record.size, 17);
        assert_eq!(e.record.request_body, r.request_body);
        assert!(e.body_truncated);

        let mut r = sample(now_ms());
        r.response_body = None;
        let e = round_trip(&mut h, &r);
        assert!(!e.body_truncated);
    }

    #[test]
    fn retention_by_count() {
        let retention = Retention {
            max_entries: 3,
            ..Retention::default()
        };
        let mut h = History::open_in_memory(retention).expect("open");
        let base = now_ms() - 1000;
        let ids: Vec<i64> = (0..5)
            .map(|i| h.record(&sample(base + i)).expect("record"))
            .collect();
        assert_eq!(h.prune().expect("prune"), 2);
        let left: Vec<i64> = h
            .list(&Query::default())
            .expect("list")
            .iter()
            .map(|s| s.id)
            .collect();
        assert_eq!(left, vec![ids[4], ids[3], ids[2]]);
        assert_eq!(h.get(ids[0]).expect("get"), None);
        let bodies: i64 = h
            .conn
            .query_row("SELECT count(*) FROM call_bodies", [], |row| row.get(0))
            .expect("count");
        assert_eq!(bodies, 3, "bodies go with their calls");
        assert_eq!(h.prune().expect("prune"), 0);
    }

    #[test]
    fn retention_by_age() {
        let retention = Retention {
            max_age_days: 30,
            ..Retention::default()
        };
        let mut h = History::open_in_memory(retention).expect("open");
        h.inserts_since_prune = 0; // no automatic prune in between
        let day = 86_400_000;
        let now = now_ms();
        let old = h.record(&sample(now - 40 * day)).expect("record");
        let older = h.record(&sample(now - 400 * day)).expect("record");
        let fresh = h.record(&sample(now - 29 * day)).expect("record");
        assert_eq!(h.prune().expect("prune"), 2);
        assert_eq!(h.get(old).expect("get"), None);
        assert_eq!(h.get(older).expect("get"), None);
        assert!(h.get(fresh).expect("get").is_some());
    }

    #[test]
    fn record_prunes_now_and_then() {
        let retention = Retention {
            max_entries: 5,
            ..Retention::default()
        };
        let mut h = History::open_in_memory(retention).expect("open");
        let base = now_ms() - 100_000;
        for i in 0..150 {
            h.record(&sample(base + i)).expect("record");
        }
        let n = h.list(&Query::default()).expect("list").len();
        assert!(n < 150 && n <= 5 + PRUNE_EVERY as usize, "{n} left");
    }

    #[test]
    fn secrets_in_a_cut_body_are_masked_in_the_text() {
        let mut text =
            br#"{"a":"x","access_token": "at-SECRET","n":{"client_secret":12345,"password":null},"refresh_token":"cut-he"#
                .to_vec();
        mask_json_text(&mut text);
        let text = String::from_utf8(text).unwrap();
        assert!(
            !text.contains("SECRET") && !text.contains("12345") && !text.contains("cut-he"),
            "{text}"
        );
        assert!(text.contains(r#""access_token": "********""#), "{text}");
        assert!(text.contains(r#""password":null"#), "{text}");
        assert!(text.starts_with(r#"{"a":"x","#), "{text}");
    }

    #[test]
    fn filters_are_kept_per_method_newest_last_and_bounded() {
        let mut h = memory();
        h.save_filter("dev", "uid", ".records").expect("save");
        h.save_filter("dev", "uid", ".records[0]").expect("save");
        h.save_filter("dev", "other", ".x").expect("save");
        assert_eq!(
            h.filters("dev", "uid").expect("filters"),
            [".records", ".records[0]"]
        );
        assert!(h.filters("prod", "uid").expect("filters").is_empty());
        for i in 0..FILTERS_KEPT + 5 {
            h.save_filter("dev", "uid", &format!(".f{i}"))
                .expect("save");
        }
        let kept = h.filters("dev", "uid").expect("filters");
        assert_eq!(kept.len(), FILTERS_KEPT);
        assert_eq!(kept.last().map(String::as_str), Some(".f54"));
        // Used again: last again.
        h.save_filter("dev", "uid", ".f10").expect("save");
        let kept = h.filters("dev", "uid").expect("filters");
        assert_eq!(kept.last().map(String::as_str), Some(".f10"));
    }

    #[test]
    fn drafts_save_overwrite_delete() {
        let mut h = memory();
        assert_eq!(h.draft("dev", 1, "uid").expect("draft"), None);
        h.save_draft("dev", 1, "uid", "{\"a\":1}").expect("save");
        h.save_draft("dev", 2, "uid", "other connector")
            .expect("save");
        h.save_draft("", 1, "uid", "no profile").expect("save");
        h.save_draft("dev", 1, "3400015", "by id").expect("save");
        assert_eq!(
            h.draft("dev", 1, "uid").expect("draft").as_deref(),
            Some("{\"a\":1}")
        );
        h.save_draft("dev", 1, "uid", "{\"a\":2}").expect("save");
        assert_eq!(
            h.draft("dev", 1, "uid").expect("draft").as_deref(),
            Some("{\"a\":2}")
        );
        assert_eq!(
            h.draft("dev", 2, "uid").expect("draft").as_deref(),
            Some("other connector")
        );
        assert_eq!(
            h.draft("", 1, "uid").expect("draft").as_deref(),
            Some("no profile")
        );
        assert_eq!(
            h.draft("dev", 1, "3400015").expect("draft").as_deref(),
            Some("by id")
        );
        h.delete_draft("dev", 1, "uid").expect("delete");
        h.delete_draft("dev", 1, "uid").expect("delete twice");
        assert_eq!(h.draft("dev", 1, "uid").expect("draft"), None);
        assert_eq!(
            h.draft("dev", 2, "uid").expect("draft").as_deref(),
            Some("other connector")
        );
    }

    #[test]
    fn state_is_per_profile() {
        let mut h = memory();
        h.set_state("dev", "pane", "methods").expect("set");
        h.set_state("prod", "pane", "body").expect("set");
        h.set_state("dev", "pane", "response").expect("set");
        assert_eq!(
            h.state("dev", "pane").expect("state").as_deref(),
            Some("response")
        );
        assert_eq!(
            h.state("prod", "pane").expect("state").as_deref(),
            Some("body")
        );
        assert_eq!(h.state("", "pane").expect("state"), None);
        assert_eq!(h.state("dev", "account").expect("state"), None);
    }

    #[test]
    fn reopened_file_keeps_everything() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a/b/history.sqlite3");
        let id = {
            let mut h = History::open(&path, Retention::default()).expect("open");
            assert_eq!(h.path(), Some(path.as_path()));
            h.set_state("dev", "pane", "body").expect("set");
            h.record(&sample(now_ms())).expect("record")
        };
        let h = History::open(&path, Retention::default()).expect("reopen");
        assert!(h.get(id).expect("get").is_some());
        assert_eq!(
            h.state("dev", "pane").expect("state").as_deref(),
            Some("body")
        );
        let mode: String = h
            .conn
            .pragma_query_value(None, "journal_mode", |row| row.get(0))
            .expect("mode");
        assert_eq!(mode, "wal");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode(&path), 0o600);
            assert_eq!(mode(&dir.path().join("a/b")), 0o700);
            assert_eq!(mode(&dir.path().join("a")), 0o700);
        }
    }

    #[test]
    fn secrets_never_reach_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("history.sqlite3");
        let mut h = History::open(&path, Retention::default()).expect("open");
        let mut r = sample(now_ms());
        r.request_headers = vec![
            ("Authorization".into(), "Bearer tok-SECRET-1".into()),
            ("X-Cyclr-Account".into(), "acc-1".into()),
        ];
        r.request_body = "{\"AuthValue\": \"av-SECRET-2\", \"Name\": \"kept\"}".into();
        r.response_headers = vec![("Set-Cookie".into(), "session=ck-SECRET-5".into())];
        r.response_body = Some(bytes::Bytes::from_static(
            b"{\"access_token\":\"at-SECRET-3\",\"expires_in\":3600}",
        ));
        let json_id = h.record(&r).expect("record");
        let mut f = sample(now_ms());
        f.request_headers = vec![(
            "Content-Type".into(),
            "application/x-www-form-urlencoded".into(),
        )];
        f.request_body =
            "grant_type=client_credentials&client_id=abc&client_secret=cs-SECRET-4".into();
        f.url = "https://example.com/cb?access_token=qs-SECRET-6&x=1".into();
        let form_id = h.record(&f).expect("record");

        let e = h.get(json_id).expect("get").expect("present");
        assert_eq!(
            e.record.request_headers[0],
            ("Authorization".to_string(), "Bearer ********".to_string())
        );
        assert_eq!(e.record.request_headers[1].1, "acc-1");
        assert_eq!(
            e.record.request_body,
            "{\"AuthValue\":\"********\",\"Name\":\"kept\"}"
        );
        assert_eq!(e.record.response_headers[0].1, MASK);
        assert_eq!(
            e.record.response_body.as_deref(),
            Some(&b"{\"access_token\":\"********\",\"expires_in\":3600}"[..])
        );
        let e = h.get(form_id).expect("get").expect("present");
        assert_eq!(
            e.record.request_body,
            "grant_type=client_credentials&client_id=abc&client_secret=********"
        );
        assert_eq!(
            e.record.url,
            "https://example.com/cb?access_token=********&x=1"
        );
        // An unmasked response stays byte for byte.
        assert_eq!(e.record.response_body, f.response_body);

        let secrets = [
            "tok-SECRET-1",
            "av-SECRET-2",
            "at-SECRET-3",
            "cs-SECRET-4",
            "ck-SECRET-5",
            "qs-SECRET-6",
        ];
        let check = |file: &Path| {
            if let Ok(bytes) = std::fs::read(file) {
                for secret in secrets {
                    assert!(
                        find(&bytes, secret.as_bytes()).is_none(),
                        "{secret} found in {}",
                        file.display()
                    );
                }
            }
        };
        // While open, the calls sit in the WAL.
        check(&path);
        check(&path.with_extension("sqlite3-wal"));
        drop(h);
        check(&path);
        check(&path.with_extension("sqlite3-wal"));
        assert!(std::fs::read(&path).expect("db").len() > 4096);
    }

    #[test]
    fn header_masking() {
        assert_eq!(mask_header_value("authorization", "Basic abc"), MASK);
        assert_eq!(
            mask_header_value("Authorization", "bearer abc"),
            "Bearer ********"
        );
        assert_eq!(
            mask_header_value("Proxy-Authorization", "Bearer abc"),
            "Bearer ********"
        );
        assert_eq!(mask_header_value("X-Refresh-Token", "abc"), MASK);
        assert_eq!(mask_header_value("X-Client-SECRET", "abc"), MASK);
        assert_eq!(mask_header_value("x-api-key", "abc"), MASK);
        assert_eq!(mask_header_value("Cookie", "a=b"), MASK);
        assert_eq!(
            mask_header_value("Content-Type", "text/plain"),
            "text/plain"
        );
        assert_eq!(mask_header_value("Authorization", "Bé"), MASK);
    }

    #[test]
    fn form_masking() {
        let m = |s: &str| mask_form_str(s).into_owned();
        assert_eq!(
            m("a=1&Client_Secret=x%20y&b=2"),
            "a=1&Client_Secret=********&b=2"
        );
        assert_eq!(m("access_token=abc"), "access_token=********");
        assert_eq!(m("access_token=&x=1"), "access_token=&x=1");
        assert_eq!(
            m("password=é1 refresh_token=r"),
            "password=******** refresh_token=********"
        );
        assert_eq!(m("nothing here"), "nothing here");
        assert_eq!(mask_form(b"client_secret=********"), None);
        assert_eq!(
            mask_form(b"\xff\xfeaccess_token=\xff&z").as_deref(),
            Some(&b"\xff\xfeaccess_token=********&z"[..])
        );
    }

    #[test]
    fn garbage_file_is_corrupt_and_names_the_path() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("history.sqlite3");
        std::fs::write(
            &path,
            b"this is not a database, just some garbage bytes\n".repeat(100),
        )
        .expect("write");
        let err = History::open(&path, Retention::default()).expect_err("open fails");
        assert!(matches!(err, HistoryError::Corrupt { .. }), "{err:?}");
        let msg = err.to_string();
        assert!(msg.contains(&path.display().to_string()), "{msg}");
        assert!(msg.contains("move it away"), "{msg}");
    }

    #[test]
    fn read_only_database_is_read_only() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("history.sqlite3");
        History::open(&path, Retention::default()).expect("create");
        // SAFETY: geteuid has no preconditions.
        let root = unsafe { libc::geteuid() } == 0;
        if root {
            // chmod does not stop root: make SQLite itself refuse writes instead, and check
            // that a path that cannot exist fails cleanly.
            let mut h = History::open(&path, Retention::default()).expect("open");
            h.conn
                .pragma_update(None, "query_only", true)
                .expect("query_only");
            let err = h.record(&sample(now_ms())).expect_err("record fails");
            assert!(matches!(err, HistoryError::ReadOnly { .. }), "{err:?}");
            assert!(
                err.to_string().contains(&path.display().to_string()),
                "{err}"
            );
            let bad = Path::new("/dev/null/x.sqlite3");
            let err = History::open(bad, Retention::default()).expect_err("open fails");
            assert!(err.to_string().contains("/dev/null/x.sqlite3"), "{err}");
        } else {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).expect("chmod");
            let err = History::open(&path, Retention::default())
                .and_then(|mut h| h.record(&sample(now_ms())))
                .expect_err("fails");
            assert!(matches!(err, HistoryError::ReadOnly { .. }), "{err:?}");
            assert!(
                err.to_string().contains(&path.display().to_string()),
                "{err}"
            );
        }
    }

    #[test]
    fn error_codes_map_to_variants() {
        let path = Path::new("/x/history.sqlite3");
        let sqlite = |code| rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None);
        assert!(matches!(
            sql_error(path, &sqlite(rusqlite::ffi::SQLITE_BUSY)),
            HistoryError::Locked { .. }
        ));
        assert!(matches!(
            sql_error(path, &sqlite(rusqlite::ffi::SQLITE_LOCKED)),
            HistoryError::Locked { .. }
        ));
        assert!(matches!(
            sql_error(path, &sqlite(rusqlite::ffi::SQLITE_NOTADB)),
            HistoryError::Corrupt { .. }
        ));
        assert!(matches!(
            sql_error(path, &sqlite(rusqlite::ffi::SQLITE_CORRUPT)),
            HistoryError::Corrupt { .. }
        ));
        assert!(matches!(
            sql_error(path, &sqlite(rusqlite::ffi::SQLITE_READONLY)),
            HistoryError::ReadOnly { .. }
        ));
        assert!(matches!(
            sql_error(path, &sqlite(rusqlite::ffi::SQLITE_PERM)),
            HistoryError::ReadOnly { .. }
        ));
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert!(matches!(
            io_error(path, &denied),
            HistoryError::ReadOnly { .. }
        ));
        for err in [
            sql_error(path, &sqlite(rusqlite::ffi::SQLITE_BUSY)),
            sql_error(path, &sqlite(rusqlite::ffi::SQLITE_FULL)),
            io_error(path, &denied),
        ] {
            assert!(err.to_string().contains("/x/history.sqlite3"), "{err}");
        }
    }

    #[test]
    fn locked_database_fails_fast() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("history.sqlite3");
        let mut h = History::open(&path, Retention::default()).expect("open");
        let other = Connection::open(&path).expect("raw");
        other.execute_batch("BEGIN EXCLUSIVE").expect("lock");
        let started = Instant::now();
        let err = h.record(&sample(now_ms())).expect_err("record fails");
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );
        assert!(matches!(err, HistoryError::Locked { .. }), "{err:?}");
        assert!(
            err.to_string().contains(&path.display().to_string()),
            "{err}"
        );
        // Reading still works while another process writes.
        assert!(h.list(&Query::default()).is_ok());
        other.execute_batch("ROLLBACK").expect("unlock");
        h.record(&sample(now_ms())).expect("record after unlock");
    }

    #[test]
    fn newer_schema_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("history.sqlite3");
        Connection::open(&path)
            .and_then(|c| c.pragma_update(None, "user_version", SCHEMA_VERSION + 1))
            .expect("raw");
        let err = History::open(&path, Retention::default()).expect_err("fails");
        assert!(matches!(err, HistoryError::Other { .. }), "{err:?}");
        assert!(err.to_string().contains("newer"), "{err}");
    }

    #[test]
    fn default_path_ends_in_history_file() {
        if let Some(path) = History::default_path() {
            assert!(path.ends_with("history.sqlite3"), "{}", path.display());
        }
    }

    /// `cargo test --release --lib history -- --ignored --nocapture` prints the timings.
    #[test]
    #[ignore = "timing; run in release"]
    fn list_of_100k_is_fast() {
        let retention = Retention {
            max_entries: 0,
            max_age_days: 0,
            ..Retention::default()
        };
        let dir = tempfile::tempdir().expect("tempdir");
        for mut h in [
            History::open_in_memory(retention).expect("open"),
            History::open(&dir.path().join("h.sqlite3"), retention).expect("open"),
        ] {
            let base = now_ms() - 1_000_000;
            let started = Instant::now();
            for i in 0..100_000_i64 {
                let mut r = sample(base + i);
                r.method_uid = Some(format!("uid-{}", i % 500));
                r.account_connector_id = i % 20;
                h.record(&r).expect("record");
            }
            let insert = started.elapsed();
            let started = Instant::now();
            let all = h.list(&Query::default()).expect("list");
            let list = started.elapsed();
            assert_eq!(all.len(), 100_000);
            let started = Instant::now();
            let some = h
                .list(&Query {
                    method_uid: Some("uid-7".into()),
                    ..Query::default()
                })
                .expect("list");
            let filtered = started.elapsed();
            assert_eq!(some.len(), 200);
            eprintln!(
                "{}: 100k records {insert:?}, list all {list:?}, list one method {filtered:?}",
                h.path()
                    .map_or("memory".into(), |p| p.display().to_string())
            );
            assert!(list < Duration::from_secs(1));
        }
    }
}
