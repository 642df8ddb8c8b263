//! Entente, the application: storage, services, the HTTP API and web pages, the CLI, and
//! the builder that puts them together.
//! The domain itself lives in `entente-core`.

pub mod app;
pub mod cli;
pub mod clock;
pub mod config;
pub mod http;
mod log_line;
pub mod log_writer;
pub mod service;
pub mod store;
