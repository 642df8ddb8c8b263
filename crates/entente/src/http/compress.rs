//! Compression only for the clients that ask for it: `tower_http`'s layer costs every
//! request (about 4,000 instructions of a registry read's 69,000) even when the client
//! sent no `Accept-Encoding`; most API clients and load balancers send none.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::ACCEPT_ENCODING;
use axum::response::Response;
use tower_http::compression::predicate::{And, DefaultPredicate, NotForContentType};
use tower_http::compression::{Compression, CompressionLayer};
use tower_layer::Layer;
use tower_service::Service;

/// What is compressed: what tower_http compresses by default, but never a page (pages
/// carry a CSRF token next to text the visitor chose: compressing them would let an
/// observer of sizes guess the token, the BREACH attack).
type Rule = And<DefaultPredicate, NotForContentType>;

/// `inner`, compressing its answers for clients that accept an encoding.
#[derive(Clone)]
pub struct WhenAsked<S> {
    plain: S,
    compressing: Compression<S, Rule>,
}

impl<S> std::fmt::Debug for WhenAsked<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WhenAsked")
    }
}

impl<S: Clone> WhenAsked<S> {
    /// Wraps `inner`.
    pub fn new(inner: S) -> Self {
        let rule =
            tower_http::compression::Predicate::and(DefaultPredicate::new(), NotForContentType::new("text/html"));
        Self { compressing: CompressionLayer::new().compress_when(rule).layer(inner.clone()), plain: inner }
    }
}

impl<S> Service<Request> for WhenAsked<S>
where
    S: Service<Request, Response = Response, Error = std::convert::Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = std::convert::Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, std::convert::Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        // Both wrap the same service, whose readiness is the answer for both.
        self.plain.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        if request.headers().contains_key(ACCEPT_ENCODING) {
            let answer = self.compressing.call(request);
            Box::pin(async move { answer.await.map(|response| response.map(Body::new)) })
        } else {
            Box::pin(self.plain.call(request))
        }
    }
}
