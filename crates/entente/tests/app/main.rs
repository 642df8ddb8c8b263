//! Entente's application tests: one binary, every behaviour test run on SQLite and on
//! PostgreSQL, plus CLI tests against the built binary and a browser test in Chromium.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
mod api;
mod assessments;
mod audit_trail;
mod browser;
mod checkpoints;
mod cli;
mod conventions;
mod dialogue;
mod documents;
mod foundation;
mod import;
mod matrix;
mod menu;
mod menu_pages;
mod open;
mod openapi;
mod pages;
mod programmes;
mod proposals;
mod seats;
mod server;
mod sign_in;
mod support;
