//! The HTTP/1.1 server: hyper on a tokio runtime of its own (a thread that accepts, two workers),
//! so that starting and stopping stay blocking calls. Keep-alive, chunked bodies,
//! `Expect: 100-continue` and HEAD are hyper's; this module bounds what a client may hold: the
//! number of connections, the size of a request, and the time to send its head and its body.

use super::error::SandboxError;
use std::future::{Future, poll_fn};
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::Arc;
use std::task::Poll;
use std::thread::JoinHandle;
use std::time::Duration;

use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::{Body, Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, oneshot};

use super::http::{Handler, Outcome, Request, Response};
use crate::{Error, Result};

/// The largest request body the sandbox reads (a larger one gets 413).
const MAX_BODY: usize = 1 << 20;
/// The largest request head (a larger one gets 431).
const MAX_HEAD: usize = 64 * 1024;
/// How many header lines a request may have (more gets 431).
const MAX_HEADERS: usize = 64;
/// How many connections are served at once; further ones wait in the listen backlog.
const MAX_CONNECTIONS: usize = 1024;
/// The runtime's worker threads.
const WORKERS: usize = 2;
/// How long stopping waits for requests in flight before closing their connections.
const STOP_GRACE: Duration = Duration::from_secs(2);

/// The response of an [`Outcome::Drop`]: hyper closes the connection without an answer.
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the sandbox drops the connection (fault)")
    }
}

impl std::error::Error for Dropped {}

/// The listener and the thread running its runtime.
#[derive(Debug)]
pub(super) struct Server {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Binds `listen` and serves `handler` there. `deadline` bounds the time a client may take to
    /// send a request's head (or, on an idle kept-alive connection, the next one), and then its
    /// body.
    pub fn start<H: Handler>(
        listen: SocketAddr,
        deadline: Duration,
        handler: Arc<H>,
    ) -> Result<Server> {
        let failed = |e: std::io::Error| {
            Error::Sandbox(SandboxError::SandboxStart {
                reason: e.to_string(),
            })
        };
        let listener = std::net::TcpListener::bind(listen).map_err(failed)?;
        listener.set_nonblocking(true).map_err(failed)?;
        let addr = listener.local_addr().map_err(failed)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(WORKERS)
            .thread_name(format!("sandbox-{}", addr.port()))
            .enable_io()
            .enable_time()
            .build()
            .map_err(failed)?;
        let (stop, stopped) = oneshot::channel();
        let thread = std::thread::Builder::new()
            .name(format!("sandbox-{}", addr.port()))
            .spawn(move || {
                runtime.block_on(serve(listener, deadline, handler, stopped));
                runtime.shutdown_timeout(STOP_GRACE);
            })
            .map_err(failed)?;
        Ok(Server {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting, closes every connection (a request in flight is answered first, for at
    /// most [`STOP_GRACE`]) and waits for the server's threads; idempotent.
    pub fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            // The server may have ended already (a listener it could not register).
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            tracing::warn!("the sandbox server thread panicked");
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// `future`'s output, or `None` once `stopped` fires (or its sender is gone).
async fn until<F: Future>(stopped: &mut oneshot::Receiver<()>, future: F) -> Option<F::Output> {
    let mut future = pin!(future);
    poll_fn(|cx| {
        if std::pin::Pin::new(&mut *stopped).poll(cx).is_ready() {
            return Poll::Ready(None);
        }
        future.as_mut().poll(cx).map(Some)
    })
    .await
}

/// Accepts until stopped, one task per connection, at most [`MAX_CONNECTIONS`] at once; then
/// shuts the connections down.
async fn serve<H: Handler>(
    listener: std::net::TcpListener,
    deadline: Duration,
    handler: Arc<H>,
    mut stopped: oneshot::Receiver<()>,
) {
    let listener = match TcpListener::from_std(listener) {
        Ok(listener) => listener,
        Err(e) => {
            tracing::warn!(%e, "the sandbox cannot serve its listener");
            return;
        }
    };
    let permits = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let graceful = GracefulShutdown::new();
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(deadline)
        .max_headers(MAX_HEADERS)
        .max_buf_size(MAX_HEAD)
        .auto_date_header(false)
        .title_case_headers(true)
        .keep_alive(true);
    loop {
        let Some(Ok(permit)) = until(&mut stopped, Arc::clone(&permits).acquire_owned()).await
        else {
            break;
        };
        let Some(accepted) = until(&mut stopped, listener.accept()).await else {
            break;
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of descriptors, or a connection reset before it was accepted.
                tracing::debug!(%e, "sandbox accept failed");
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let handler = Arc::clone(&handler);
        let service = service_fn(move |request| respond(Arc::clone(&handler), request, deadline));
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(%e, "sandbox connection ended");
            }
            drop(permit);
        });
    }
    drop(listener);
    if tokio::time::timeout(STOP_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::debug!("sandbox connections still busy at stop");
    }
}

/// Reads the request whole, hands it to the portal and turns the outcome into hyper's answer.
async fn respond<H: Handler>(
    handler: Arc<H>,
    request: hyper::Request<Incoming>,
    deadline: Duration,
) -> std::result::Result<hyper::Response<Full<Bytes>>, Dropped> {
    let request = match read(request, deadline).await {
        Ok(request) => request,
        Err(mut refusal) => {
            // The rest of the request is unread: the connection cannot carry another one.
            refusal.headers.push(("Connection".into(), "close".into()));
            return Ok(to_hyper(refusal, &handler.date()));
        }
    };
    let response = match handler.handle(&request) {
        Outcome::Respond(response) => response,
        Outcome::Slow(delay, response) => {
            tokio::time::sleep(delay).await;
            response
        }
        Outcome::Drop => return Err(Dropped),
    };
    Ok(to_hyper(response, &handler.date()))
}

/// The request with its body read (at most [`MAX_BODY`] bytes, within `deadline`), or the
/// server's refusal.
async fn read(
    request: hyper::Request<Incoming>,
    deadline: Duration,
) -> std::result::Result<Request, Response> {
    let (parts, body) = request.into_parts();
    let too_large = || Response::plain(413, "Payload Too Large");
    if body.size_hint().lower() > MAX_BODY as u64 {
        return Err(too_large());
    }
    let body = match tokio::time::timeout(deadline, Limited::new(body, MAX_BODY).collect()).await {
        Err(_) => return Err(Response::plain(408, "Request Timeout")),
        Ok(Err(e)) if e.is::<LengthLimitError>() => return Err(too_large()),
        Ok(Err(_)) => return Err(Response::plain(400, "Bad Request")),
        Ok(Ok(collected)) => collected.to_bytes().to_vec(),
    };
    // A HEAD asks for the headers of the GET; hyper leaves the body out.
    let method = if parts.method == Method::HEAD {
        Method::GET
    } else {
        parts.method
    };
    Ok(Request {
        method: method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().unwrap_or_default().to_owned(),
        headers: parts
            .headers
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body,
    })
}

/// The response as IIS sends it (its `Server` and ASP.NET headers, `date` as `Date`); hyper adds
/// `Content-Length` and manages `Connection`.
fn to_hyper(response: Response, date: &str) -> hyper::Response<Full<Bytes>> {
    let mut builder = hyper::Response::builder()
        .status(response.status)
        .header("Server", "Microsoft-IIS/8.5")
        .header("X-AspNet-Version", "4.0.30319")
        .header("Cache-Control", "private")
        .header("Date", date);
    for (name, value) in &response.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    match builder.body(Full::new(Bytes::from(response.body))) {
        Ok(response) => response,
        Err(e) => {
            tracing::warn!(%e, "the sandbox built an invalid response");
            let mut error =
                hyper::Response::new(Full::new(Bytes::from_static(b"Internal Server Error")));
            *error.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            error
        }
    }
}
