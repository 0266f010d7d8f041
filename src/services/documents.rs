//! EIA documents uploaded to a filing: checked for type by their first bytes, stored under the
//! data directory by content hash, recorded with their SHA-256, served to those who may see the
//! filing.
use std::path::{Path, PathBuf};

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use serde::Serialize;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use super::{Actor, audit, projects};
use crate::domain::filing::{FilingState, Material};
use crate::domain::role::Role;
use crate::error::{Error, ErrorCode, Result};
use entity::{document, filing};

/// The kinds of file an EIA filing takes, by extension, with the bytes such a file starts with.
const KINDS: &[(&str, &str, &[u8])] = &[
    ("pdf", "application/pdf", b"%PDF-"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        b"PK\x03\x04",
    ),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        b"PK\x03\x04",
    ),
    ("zip", "application/zip", b"PK\x03\x04"),
    ("doc", "application/msword", b"\xD0\xCF\x11\xE0"),
    ("xls", "application/vnd.ms-excel", b"\xD0\xCF\x11\xE0"),
    ("jpg", "image/jpeg", b"\xFF\xD8\xFF"),
    ("jpeg", "image/jpeg", b"\xFF\xD8\xFF"),
    ("png", "image/png", b"\x89PNG"),
];

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DocumentView {
    pub id: i64,
    pub filing_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by: Option<i64>,
    pub uploaded_at: chrono::DateTime<chrono::Utc>,
    /// Which required material it is (`application_letter`, `full_text`, `public_copy`,
    /// `public_participation`, `other`), if marked.
    #[schema(value_type = Option<String>)]
    pub material: Option<Material>,
    pub material_label: Option<&'static str>,
    /// The copy for public disclosure, downloadable from the public register once accepted.
    pub public_disclosure: bool,
    /// Set when withdrawn before acceptance; such documents are listed only on request.
    pub withdrawn_at: Option<chrono::DateTime<chrono::Utc>>,
    pub withdrawn_by: Option<i64>,
    pub withdraw_reason: Option<String>,
}

/// What an upload says about itself besides its bytes (multipart fields before `file`).
#[derive(Debug, Clone, Copy, Default)]
pub struct DocumentMeta {
    pub material: Option<Material>,
    pub public_disclosure: bool,
}

impl From<document::Model> for DocumentView {
    fn from(d: document::Model) -> Self {
        DocumentView {
            id: d.id,
            filing_id: d.filing_id,
            file_name: d.file_name,
            content_type: d.content_type,
            size: d.size,
            sha256: d.sha256,
            uploaded_by: d.uploaded_by,
            uploaded_at: d.uploaded_at,
            material: d.material,
            material_label: d.material.map(Material::label),
            public_disclosure: d.public_disclosure,
            withdrawn_at: d.withdrawn_at,
            withdrawn_by: d.withdrawn_by,
            withdraw_reason: d.withdraw_reason,
        }
    }
}

/// The filing if the actor may see it.
async fn visible_filing<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
) -> Result<filing::Model> {
    let f = filing::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("申报"))?;
    projects::visible(db, actor, f.project_id)
        .await
        .map_err(|_| Error::not_found("申报"))?;
    Ok(f)
}

/// A file name safe to show and to send back: no folders, no control characters; none at all
/// when it holds characters that reorder its display (`\u{202e}gnp.pdf` shows as `fdp.png`).
fn clean_name(name: &str) -> Option<String> {
    if name.chars().any(crate::domain::is_bidi_control) {
        return None;
    }
    let base = name.rsplit(['/', '\\']).next()?.trim();
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .collect();
    (!cleaned.is_empty() && cleaned.chars().count() <= 200).then_some(cleaned)
}

/// The kind of an upload from its name, or the 422 that names what is allowed.
pub fn kind_of(file_name: &str) -> Result<(&'static str, &'static [u8])> {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    KINDS
        .iter()
        .find(|(e, _, _)| *e == ext)
        .map(|(_, mime, magic)| (*mime, *magic))
        .ok_or_else(|| {
            let allowed: Vec<&str> = KINDS.iter().map(|(e, _, _)| *e).collect();
            Error::invalid(
                "file",
                format!("不支持的文件类型，允许：{}", allowed.join("、")),
            )
        })
}

/// An upload in progress: bytes go to a temporary file while they are hashed and counted.
pub struct Upload {
    path: PathBuf,
    file: tokio::fs::File,
    hasher: Sha256,
    size: usize,
    limit: usize,
    head: Vec<u8>,
}

impl Upload {
    pub async fn start(data_dir: &Path, limit: usize) -> Result<Upload> {
        let dir = data_dir.join("documents").join("incoming");
        tokio::fs::create_dir_all(&dir)
            .await
            .map_err(|e| anyhow::anyhow!("creating {}: {e}", dir.display()))?;
        let path = dir.join(uuid::Uuid::new_v4().simple().to_string());
        let file = tokio::fs::File::create(&path)
            .await
            .map_err(|e| anyhow::anyhow!("creating {}: {e}", path.display()))?;
        Ok(Upload {
            path,
            file,
            hasher: Sha256::new(),
            size: 0,
            limit,
            head: Vec::new(),
        })
    }

    pub async fn write(&mut self, chunk: &[u8]) -> Result<()> {
        self.size += chunk.len();
        if self.size > self.limit {
            self.discard().await;
            return Err(Error::TooLarge(format!(
                "文件超过上传上限（{}字节）",
                self.limit
            )));
        }
        if self.head.len() < 8 {
            self.head.extend(chunk.iter().take(8 - self.head.len()));
        }
        self.hasher.update(chunk);
        self.file
            .write_all(chunk)
            .await
            .map_err(|e| anyhow::anyhow!("writing an upload: {e}"))?;
        Ok(())
    }

    pub async fn discard(&self) {
        let _ = tokio::fs::remove_file(&self.path).await;
    }
}

/// Stores a finished upload for a filing.
#[tracing::instrument(
    name = "documents::store",
    skip_all,
    fields(actor_id = actor.id, actor_org = actor.organization_id, filing_id, size = upload.size)
)]
pub async fn store(
    db: &DatabaseConnection,
    data_dir: &Path,
    actor: &Actor,
    filing_id: i64,
    file_name: &str,
    meta: DocumentMeta,
    mut upload: Upload,
) -> Result<DocumentView> {
    let checked = async {
        let f = visible_filing(db, actor, filing_id).await?;
        let state = f.state;
        let may = match actor.role {
            Role::Owner => matches!(state, FilingState::Draft | FilingState::CorrectionRequested),
            Role::Officer | Role::Admin => !state.is_terminal(),
            Role::Leader => false,
        };
        if actor.role == Role::Leader {
            return Err(Error::Forbidden("局领导不能上传申报材料".into()));
        }
        if !may {
            return Err(Error::Conflict {
                code: ErrorCode::InvalidState,
                message: format!("申报当前状态为“{}”，不能上传材料", state.label()),
                fields: Vec::new(),
            });
        }
        let name = clean_name(file_name).ok_or_else(|| Error::invalid("file", "文件名无效"))?;
        let (mime, magic) = kind_of(&name)?;
        if upload.size == 0 {
            return Err(Error::invalid("file", "文件为空"));
        }
        if !upload.head.starts_with(magic) {
            return Err(Error::invalid("file", "文件内容与扩展名不符"));
        }
        Ok((name, mime))
    }
    .await;
    let (name, mime) = match checked {
        Ok(ok) => ok,
        Err(e) => {
            upload.discard().await;
            return Err(e);
        }
    };
    upload
        .file
        .flush()
        .await
        .map_err(|e| anyhow::anyhow!("flushing an upload: {e}"))?;
    let sha = hex::encode(upload.hasher.clone().finalize());
    let relative = format!("documents/{filing_id}/{sha}");
    let target = data_dir.join(&relative);
    if let Some(dir) = target.parent() {
        tokio::fs::create_dir_all(dir)
            .await
            .map_err(|e| anyhow::anyhow!("creating {}: {e}", dir.display()))?;
    }
    tokio::fs::rename(&upload.path, &target)
        .await
        .map_err(|e| anyhow::anyhow!("storing an upload: {e}"))?;

    let txn = db.begin().await?;
    let row = document::ActiveModel {
        filing_id: Set(filing_id),
        file_name: Set(name),
        content_type: Set(mime.to_owned()),
        size: Set(upload.size as i64),
        sha256: Set(sha),
        stored_as: Set(relative),
        uploaded_by: Set(actor.id),
        material: Set(meta.material),
        public_disclosure: Set(
            meta.public_disclosure || meta.material == Some(Material::PublicCopy)
        ),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        actor,
        "filing",
        filing_id,
        "upload",
        serde_json::json!({"document_id": row.id, "file_name": row.file_name, "sha256": row.sha256, "size": row.size}),
    )
    .await?;
    txn.commit().await?;
    Ok(row.into())
}

#[tracing::instrument(
    name = "documents::list",
    skip_all,
    fields(actor_id = actor.id, actor_org = actor.organization_id, filing_id)
)]
pub async fn list<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    filing_id: i64,
    include_withdrawn: bool,
) -> Result<Vec<DocumentView>> {
    visible_filing(db, actor, filing_id).await?;
    let mut select = document::Entity::find().filter(document::Column::FilingId.eq(filing_id));
    if !include_withdrawn {
        select = select.filter(document::Column::WithdrawnAt.is_null());
    }
    Ok(select
        .order_by_asc(document::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(DocumentView::from)
        .collect())
}

/// A document's stored file, opened to be streamed (never read whole: twenty downloads of a
/// 50 MB file hold a few buffers, not a gigabyte).
async fn open_stored(data_dir: &Path, doc: &document::Model) -> Result<tokio::fs::File> {
    let path = data_dir.join(&doc.stored_as);
    Ok(tokio::fs::File::open(&path)
        .await
        .map_err(|e| anyhow::anyhow!("opening {}: {e}", path.display()))?)
}

/// A document's record and its stored file, for those who may see its filing.
#[tracing::instrument(
    name = "documents::content",
    skip_all,
    fields(actor_id = actor.id, actor_org = actor.organization_id, document_id = id)
)]
pub async fn content<C: ConnectionTrait>(
    db: &C,
    data_dir: &Path,
    actor: &Actor,
    id: i64,
) -> Result<(DocumentView, tokio::fs::File)> {
    let doc = document::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("文件"))?;
    visible_filing(db, actor, doc.filing_id)
        .await
        .map_err(|_| Error::not_found("文件"))?;
    let file = open_stored(data_dir, &doc).await?;
    Ok((doc.into(), file))
}

/// The materials a filing's documents are marked as, each once.
pub(crate) async fn materials_of<C: ConnectionTrait>(
    db: &C,
    filing_id: i64,
) -> Result<Vec<Material>> {
    let mut out: Vec<Material> = document::Entity::find()
        .filter(document::Column::FilingId.eq(filing_id))
        .filter(document::Column::Material.is_not_null())
        .filter(document::Column::WithdrawnAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .filter_map(|d| d.material)
        .collect();
    out.sort();
    out.dedup();
    Ok(out)
}

/// A copy marked for public disclosure (环评文件公开版), as the public register offers it: only
/// of filings the register shows (accepted or later), to anyone, without signing in.
#[tracing::instrument(name = "documents::public_content", skip_all, fields(document_id = id))]
pub async fn public_content<C: ConnectionTrait>(
    db: &C,
    data_dir: &Path,
    id: i64,
) -> Result<(DocumentView, tokio::fs::File)> {
    let doc = document::Entity::find_by_id(id)
        .filter(document::Column::PublicDisclosure.eq(true))
        .filter(document::Column::WithdrawnAt.is_null())
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("公开文件"))?;
    let published = filing::Entity::find_by_id(doc.filing_id)
        .one(db)
        .await?
        .is_some_and(|f| FilingState::PUBLISHED.contains(&f.state));
    if !published {
        return Err(Error::not_found("公开文件"));
    }
    let file = open_stored(data_dir, &doc).await?;
    Ok((doc.into(), file))
}

/// The public copies of a set of filings, for the register.
pub(crate) async fn public_copies<C: ConnectionTrait>(
    db: &C,
    filing_ids: &[i64],
) -> Result<Vec<DocumentView>> {
    let mut out = Vec::new();
    for chunk in filing_ids.chunks(500) {
        out.extend(
            document::Entity::find()
                .filter(document::Column::FilingId.is_in(chunk.iter().copied()))
                .filter(document::Column::PublicDisclosure.eq(true))
                .filter(document::Column::WithdrawnAt.is_null())
                .order_by_asc(document::Column::Id)
                .all(db)
                .await?
                .into_iter()
                .map(DocumentView::from),
        );
    }
    Ok(out)
}

/// `GET /filings/{id}/documents` filter.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DocumentQuery {
    /// `true`: also the documents withdrawn before acceptance.
    pub include_withdrawn: Option<bool>,
}

/// `POST /documents/{id}/withdraw`.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawDocument {
    #[serde(default)]
    pub reason: Option<String>,
}

/// Withdraws a document before its filing is accepted (draft, submitted or awaiting
/// correction): the owner who uploaded it, or an officer. The row and the file stay, marked
/// withdrawn and audited; after acceptance the documents are the record, so 409.
#[tracing::instrument(
    name = "documents::withdraw",
    skip_all,
    fields(actor_id = actor.id, actor_org = actor.organization_id, document_id = id)
)]
pub async fn withdraw(
    db: &sea_orm::DatabaseConnection,
    actor: &Actor,
    id: i64,
    input: WithdrawDocument,
) -> Result<DocumentView> {
    use sea_orm::TransactionTrait;
    use sea_orm::sea_query::Expr;
    let doc = document::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("文件"))?;
    let filing = visible_filing(db, actor, doc.filing_id)
        .await
        .map_err(|_| Error::not_found("文件"))?;
    let uploader = actor.role == Role::Owner && actor.id.is_some() && actor.id == doc.uploaded_by;
    if !(uploader || actor.role.keeps_ledger()) {
        return Err(Error::Forbidden(
            "只有上传该文件的建设单位人员或审批人员可以撤回文件".into(),
        ));
    }
    let conflict = |message: &str| Error::Conflict {
        code: ErrorCode::InvalidState,
        message: message.into(),
        fields: Vec::new(),
    };
    if doc.withdrawn_at.is_some() {
        return Err(conflict("该文件已撤回"));
    }
    if !matches!(
        filing.state,
        FilingState::Draft | FilingState::Submitted | FilingState::CorrectionRequested
    ) {
        return Err(conflict("申报已受理或已结束，文件不能再撤回"));
    }
    let reason = input
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned);
    let txn = db.begin().await?;
    let done = document::Entity::update_many()
        .col_expr(document::Column::WithdrawnAt, Expr::value(super::now()))
        .col_expr(document::Column::WithdrawnBy, Expr::value(actor.id))
        .col_expr(
            document::Column::WithdrawReason,
            Expr::value(reason.clone()),
        )
        .filter(document::Column::Id.eq(id))
        .filter(document::Column::WithdrawnAt.is_null())
        .exec(&txn)
        .await?;
    if done.rows_affected == 0 {
        return Err(conflict("该文件已撤回"));
    }
    let mut changes = audit::Changes::new();
    changes.push("withdrawn", &false, &true);
    if reason.is_some() {
        changes.set("reason", &reason);
    }
    audit::write(
        &txn,
        actor,
        "document",
        id,
        "withdraw",
        changes,
        serde_json::json!({"filing_id": doc.filing_id, "file_name": doc.file_name}),
    )
    .await?;
    txn.commit().await?;
    let row = document::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("文件"))?;
    Ok(row.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cleaned() {
        assert_eq!(clean_name("../../etc/passwd").as_deref(), Some("passwd"));
        assert_eq!(
            clean_name("C:\\报告\\环评报告书.pdf").as_deref(),
            Some("环评报告书.pdf")
        );
        assert_eq!(clean_name("  "), None);
        assert_eq!(clean_name("\u{202e}gnp.pdf"), None);
    }

    #[test]
    fn kinds_by_extension() {
        assert_eq!(kind_of("a.PDF").unwrap().0, "application/pdf");
        assert!(kind_of("a.exe").is_err());
        assert!(kind_of("noextension").is_err());
    }
}
