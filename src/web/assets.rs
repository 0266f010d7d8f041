//! The pages' styles and scripts, embedded in the binary and served under content-hashed names
//! (`/assets/app.1a2b3c4d5e.css`) with a year-long immutable cache and gzip when the browser
//! takes it. A bureau's intranet has no CDN: nothing a page uses comes from elsewhere.
use std::collections::HashMap;
use std::io::Write;
use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// Every asset: its name in the source tree, its bytes and its media type.
const SOURCES: [(&str, &[u8], &str); 3] = [
    (
        "app.css",
        include_bytes!("assets/app.css"),
        "text/css; charset=utf-8",
    ),
    (
        "print.css",
        include_bytes!("assets/print.css"),
        "text/css; charset=utf-8",
    ),
    (
        "app.js",
        include_bytes!("assets/app.js"),
        "text/javascript; charset=utf-8",
    ),
];

struct Asset {
    body: &'static [u8],
    gzip: Vec<u8>,
    mime: &'static str,
    etag: String,
}

struct Assets {
    /// source name → served name
    urls: HashMap<&'static str, String>,
    /// served name → asset
    by_served: HashMap<String, Asset>,
}

static ASSETS: LazyLock<Assets> = LazyLock::new(|| {
    let mut urls = HashMap::new();
    let mut by_served = HashMap::new();
    for (name, body, mime) in SOURCES {
        let digest = hex::encode(Sha256::digest(body));
        let hash = &digest[..10];
        let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
        let served = format!("{stem}.{hash}.{ext}");
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        encoder
            .write_all(body)
            .expect("gzip into memory does not fail");
        let gzip = encoder.finish().expect("gzip into memory does not fail");
        urls.insert(name, format!("/assets/{served}"));
        by_served.insert(
            served,
            Asset {
                body,
                gzip,
                mime,
                etag: format!("\"{hash}\""),
            },
        );
    }
    Assets { urls, by_served }
});

/// The path a page links to for an asset, e.g. `url("app.css")`.
pub fn url(name: &str) -> &'static str {
    ASSETS
        .urls
        .get(name)
        .map(String::as_str)
        .unwrap_or_else(|| panic!("no embedded asset {name}"))
}

/// `GET /assets/{name}`: the asset under its hashed name; 404 for any other name.
pub async fn serve(Path(name): Path<String>, headers: HeaderMap) -> Response {
    let Some(asset) = ASSETS.by_served.get(&name) else {
        return (StatusCode::NOT_FOUND, "没有这个文件").into_response();
    };
    let mut out = HeaderMap::new();
    out.insert(header::CONTENT_TYPE, HeaderValue::from_static(asset.mime));
    out.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    out.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Ok(etag) = HeaderValue::from_str(&asset.etag) {
        if headers.get(header::IF_NONE_MATCH) == Some(&etag) {
            out.insert(header::ETAG, etag);
            return (StatusCode::NOT_MODIFIED, out).into_response();
        }
        out.insert(header::ETAG, etag);
    }
    let takes_gzip = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|e| e.trim().starts_with("gzip")));
    if takes_gzip {
        out.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        (out, asset.gzip.clone()).into_response()
    } else {
        (out, asset.body).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn served_names_carry_the_content_hash() {
        let css = url("app.css");
        assert!(
            css.starts_with("/assets/app.") && css.ends_with(".css"),
            "{css}"
        );
        let served = css.trim_start_matches("/assets/");
        assert!(ASSETS.by_served.contains_key(served));
        assert!(ASSETS.by_served[served].gzip.len() < ASSETS.by_served[served].body.len());
    }
}
