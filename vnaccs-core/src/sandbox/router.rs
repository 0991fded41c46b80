//! From a request to a response: faults, the session, the login and viewstate checks, then the
//! page's handler, whose view is wrapped in the master page with fresh tokens.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};

use super::clock::SandboxClock;
use super::config::SandboxConfig;
use super::faults::{FaultKind, Operation};
use super::fields::Fields;
use super::hook::Hook;
use super::html;
use super::http::{Outcome, Request, Response};
use super::pages::{self, Ctx, Form, Page, Reply, View};
use super::received::SignatureLog;
use super::session::{COOKIE, Resolved, Session};
use super::state::Inner;
use super::sync::lock;
use super::viewstate::{self, PageState};

/// What every connection thread shares.
#[derive(Debug)]
pub(super) struct Shared {
    /// How the sandbox was started.
    pub config: SandboxConfig,
    /// The sandbox clock.
    pub clock: SandboxClock,
    /// The state.
    pub inner: Mutex<Inner>,
    /// Field names after renames.
    pub fields: Fields,
    /// The signatures received.
    pub signatures: SignatureLog,
    /// The caller's hook on every request read.
    pub hook: Hook,
    requests: AtomicU64,
}

impl Shared {
    /// The shared part of a sandbox.
    pub fn new(config: SandboxConfig, clock: SandboxClock, inner: Inner) -> Shared {
        Shared {
            fields: Fields::new(config.renames.clone()).with_links(config.links.clone()),
            config,
            clock,
            inner: Mutex::new(inner),
            signatures: SignatureLog::default(),
            hook: Hook::default(),
            requests: AtomicU64::new(0),
        }
    }

    /// How many requests were read.
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::SeqCst)
    }

    /// Answers one request.
    pub fn handle(&self, request: &Request) -> Outcome {
        let number = self.requests.fetch_add(1, Ordering::SeqCst) + 1;
        // Before the state lock: the hook may call the sandbox.
        self.hook.call(number);
        let now = self.clock.now();
        // Decoding and routing need no state: the state lock is taken after them.
        let form = if request.method == "POST" {
            Form::parse(&request.body)
        } else {
            Form::default()
        };
        let Some(page) = Page::route(&request.path) else {
            return Outcome::Respond(Response::html(404, not_found()));
        };
        let mut inner = lock(&self.inner);
        inner.auto_approve(now, self.config.auto_approve_after);
        let operation = page.operation(request.method == "POST", &form, &self.fields);
        if let Some(posted) = operation.filter(|op| Operation::STATE_CHANGING.contains(op)) {
            *inner.posts.entry(posted).or_default() += 1;
        }
        let mut delay = None;
        let mut after = None;
        match operation.and_then(|op| inner.faults.take(op)) {
            None => {}
            Some(kind @ (FaultKind::ProcessThenExpire | FaultKind::ProcessThenDrop)) => {
                after = Some(kind);
            }
            Some(FaultKind::Drop) => return Outcome::Drop,
            Some(FaultKind::Status500) => {
                return Outcome::Respond(Response::html(500, html::error_page()));
            }
            Some(FaultKind::Status503) => {
                return Outcome::Respond(Response::new(
                    503,
                    "text/html; charset=us-ascii",
                    b"<h1>Service Unavailable</h1>".to_vec(),
                ));
            }
            Some(FaultKind::Maintenance) => {
                return Outcome::Respond(Response::html(503, html::maintenance_page()));
            }
            Some(FaultKind::SessionExpiry) => inner.sessions.expire(request.cookie(COOKIE)),
            Some(FaultKind::Slow(d)) => delay = Some(d),
        }
        tracing::debug!(method = %request.method, path = %request.path, ?operation, "sandbox request");
        let response = self.dispatch(&mut inner, page, request, &form, now);
        match after {
            Some(FaultKind::ProcessThenDrop) => return Outcome::Drop,
            Some(FaultKind::ProcessThenExpire) => {
                inner.sessions.expire(request.cookie(COOKIE));
                return Outcome::Respond(Response::redirect(&login_redirect(page, &request.path)));
            }
            _ => {}
        }
        match delay {
            Some(d) => Outcome::Slow(d, response),
            None => Outcome::Respond(response),
        }
    }

    fn dispatch(
        &self,
        inner: &mut Inner,
        page: Page,
        request: &Request,
        form: &Form,
        now: DateTime<Utc>,
    ) -> Response {
        let resolved = inner.sessions.resolve(
            request.cookie(COOKIE),
            now,
            self.config.session_idle,
            &mut inner.rng,
        );
        let mut response = if request.method != "GET" && request.method != "POST" {
            Response::new(405, "text/plain", b"Method Not Allowed".to_vec())
        } else {
            match inner.sessions.take(&resolved.id) {
                Some(mut session) => {
                    let response =
                        self.serve(inner, &mut session, page, request, form, &resolved, now);
                    inner.sessions.put(&resolved.id, session);
                    response
                }
                None => Response::html(500, html::error_page()),
            }
        };
        if resolved.new {
            response.headers.push((
                "Set-Cookie".into(),
                format!("{COOKIE}={}; path=/; HttpOnly; SameSite=Lax", resolved.id),
            ));
        }
        response
    }

    #[allow(clippy::too_many_arguments)]
    fn serve(
        &self,
        inner: &mut Inner,
        session: &mut Session,
        page: Page,
        request: &Request,
        form: &Form,
        resolved: &Resolved,
        now: DateTime<Utc>,
    ) -> Response {
        let post = request.method == "POST";
        if resolved.expired && (post || page.protected()) {
            return Response::redirect(&login_redirect(page, &request.path));
        }
        if page.protected() && session.logged_in.is_none() {
            return Response::redirect(&login_redirect(page, &request.path));
        }
        if post && page.is_webform() {
            let valid = session.pages.get(page.path()).is_some_and(|state| {
                state.matches(
                    form.get(viewstate::VIEWSTATE),
                    form.get(viewstate::EVENT_VALIDATION),
                ) && form.raised_event(state)
            });
            if !valid {
                tracing::debug!(path = %request.path, "viewstate or event validation failed");
                return Response::html(200, html::error_page());
            }
        }
        let mut ctx = Ctx {
            inner,
            session,
            fields: &self.fields,
            signatures: &self.signatures,
            form,
            request,
            now,
        };
        let reply = if post {
            pages::post(page, &mut ctx)
        } else {
            pages::get(page, &mut ctx)
        };
        match reply {
            Reply::View(view) => self.render(ctx.inner, ctx.session, page, request, *view),
            Reply::Redirect(location) => Response::redirect(&location),
            Reply::Raw(response) => response,
        }
    }

    fn render(
        &self,
        inner: &mut Inner,
        session: &mut Session,
        page: Page,
        request: &Request,
        view: View,
    ) -> Response {
        let state = PageState::issue(&mut inner.rng, view.events, view.data);
        let logged_in = session.logged_in.as_ref().map(|t| t.to_string());
        let document = html::document(
            &html::Layout {
                path: page.path(),
                query: &request.query,
                title: view.title,
                site: page.site(),
                logged_in: logged_in.as_deref(),
                content: &view.content,
            },
            &state,
        );
        session.pages.insert(page.path(), state);
        Response::html(200, document)
    }
}

/// Where a request without a live logged-in session is sent.
fn login_redirect(page: Page, path: &str) -> String {
    if page == Page::Login {
        return Page::Login.path().to_owned();
    }
    let encoded: String = url::form_urlencoded::byte_serialize(path.as_bytes()).collect();
    format!("{}?ReturnUrl={encoded}", Page::Login.path())
}

fn not_found() -> String {
    "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\" /><title>404 - File or directory not found.</title></head>\n<body><h2>404 - File or directory not found.</h2></body></html>\n".to_owned()
}
