//! Entente, the application: storage, services, the HTTP API and web pages, and the CLI.
//! The domain itself lives in `entente-core`.

pub mod cli;
pub mod config;
pub mod http;
pub mod service;
pub mod store;
