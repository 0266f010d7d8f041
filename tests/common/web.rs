//! Pages through the router, as a browser would ask for them: a session cookie from the
//! sign-in form, the form token read from a page, forms posted urlencoded.
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};

use super::{DEMO_PASSWORD, Reply, TestApp, send};

/// A signed-in browser session: the cookie and the form token of its pages.
#[derive(Debug, Clone)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

impl Reply {
    /// The body as text (a page).
    pub fn html(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    /// Where a redirect leads.
    pub fn location(&self) -> Option<&str> {
        self.header("location")
    }

    /// The `name=value` of the flash cookie a redirect sets, to send with the next page.
    pub fn flash_cookie(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("eiaflow_flash=") && !v.contains("Max-Age=0"))
            .and_then(|v| v.split(';').next())
            .map(str::to_owned)
    }

    /// The message a redirect carries to the next page ("" when none).
    pub fn flash(&self) -> String {
        let raw = self
            .flash_cookie()
            .and_then(|c| c.strip_prefix("eiaflow_flash=").map(str::to_owned))
            .unwrap_or_default();
        form_urlencoded::parse(format!("v={raw}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    }
}

/// The value of the first `name="…" value="…"` hidden input of a page.
pub fn hidden_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_owned())
}

impl TestApp {
    /// A page request with an optional session cookie.
    pub async fn page(&self, method: Method, path: &str, session: Option<&Session>) -> Reply {
        self.page_with(method, path, session, None).await
    }

    /// A page request with a form body (`_csrf` added from the session).
    pub async fn post_form(&self, path: &str, session: &Session, fields: &[(&str, &str)]) -> Reply {
        let mut pairs: Vec<(&str, &str)> = vec![("_csrf", session.csrf.as_str())];
        pairs.extend_from_slice(fields);
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        self.page_with(Method::POST, path, Some(session), Some(body))
            .await
    }

    /// A multipart form (`_csrf` added from the session): text fields, then files as
    /// (field, file name, bytes).
    pub async fn post_multipart(
        &self,
        path: &str,
        session: &Session,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> Reply {
        let boundary = "----eiaflow-web-test";
        let mut body = Vec::new();
        let mut all: Vec<(&str, &str)> = vec![("_csrf", session.csrf.as_str())];
        all.extend_from_slice(fields);
        for (k, v) in all {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        for (field, name, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; \
                     filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let req = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::HOST, "127.0.0.1:8080")
            .header(
                header::COOKIE,
                format!("eiaflow_session={}", session.cookie),
            )
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .expect("request");
        send(&self.router, req).await
    }

    /// A page with the flash cookie a redirect set (`flash` as `name=value`).
    pub async fn page_flashed(&self, path: &str, session: &Session, flash: Option<&str>) -> Reply {
        let mut cookie = format!("eiaflow_session={}", session.cookie);
        if let Some(flash) = flash {
            cookie.push_str("; ");
            cookie.push_str(flash);
        }
        let req = Request::builder()
            .uri(path)
            .header(header::HOST, "127.0.0.1:8080")
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .expect("request");
        send(&self.router, req).await
    }

    /// Follows a 303 with the flash it set; the page's HTML (which must answer 200).
    pub async fn follow(&self, reply: &Reply, session: &Session) -> String {
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.html());
        let to = reply.location().expect("a location").to_owned();
        let page = self
            .page_flashed(&to, session, reply.flash_cookie().as_deref())
            .await;
        assert_eq!(page.status, StatusCode::OK, "{to}");
        page.html()
    }

    pub async fn page_with(
        &self,
        method: Method,
        path: &str,
        session: Option<&Session>,
        form: Option<String>,
    ) -> Reply {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, "127.0.0.1:8080");
        if let Some(session) = session {
            req = req.header(
                header::COOKIE,
                format!("eiaflow_session={}", session.cookie),
            );
        }
        let req = match form {
            Some(body) => req
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body)),
            None => req.body(Body::empty()),
        }
        .expect("request");
        send(&self.router, req).await
    }

    /// Signs in through the sign-in form with the demo password.
    pub async fn web_login(&self, username: &str) -> Session {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs([("username", username), ("password", DEMO_PASSWORD)])
            .finish();
        let reply = self
            .page_with(Method::POST, "/login", None, Some(body))
            .await;
        assert_eq!(
            reply.status,
            StatusCode::SEE_OTHER,
            "sign-in as {username}: {}",
            reply.html()
        );
        let cookie = reply
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| v.strip_prefix("eiaflow_session="))
            .and_then(|v| v.split(';').next())
            .expect("a session cookie")
            .to_owned();
        let mut session = Session {
            cookie,
            csrf: String::new(),
        };
        let page = self
            .page(Method::GET, "/account/password", Some(&session))
            .await;
        session.csrf = hidden_value(&page.html(), "_csrf").expect("a form token on the page");
        session
    }
}
