//! Rel: a declarative language for diplomatic relations between states.
//!
//! Text goes through four stages, each in its own module:
//! [`syntax`] (pest, statement by statement, spans on every node) →
//! [`lower`] (names resolved into the [`model`]) → [`validate`] (rules over
//! the whole model) → [`query`](mod@query) (`assert`, `claim`, and questions).
//! [`load`] drives the stages and follows includes; [`diag`] holds the
//! diagnostics and their rendering. [`session`] is the REPL without a
//! terminal, [`golden`] the comparisons behind `rel test`; the `rel`
//! command itself (`cli`, with clap and rustyline) is behind the cargo
//! feature `cli`, on by default: `default-features = false` gives the
//! library alone.
//!
//! ```
//! let loaded = rel::load_str("example.rel", r#"
//! source tass "TASS report" published 2025-05-10
//! state China "People's Republic of China"
//! state Russia "Russian Federation"
//! person Xi "Xi Jinping"
//! visit Xi -> Russia 2025-05-07..10 kind state [tass]
//! "#);
//! assert_eq!(loaded.errors(), 0);
//! let xi = loaded.model.lookup("Xi").unwrap();
//! assert_eq!(loaded.model.events_of(xi).len(), 1);
//!
//! let answer = rel::query(&loaded, "visits by Xi to Russia | count").unwrap();
//! assert_eq!(answer, "1\n");
//! ```

// Query evaluation returns a `Diagnostic` as its error: it is the product,
// not a failure path worth boxing.
#![allow(clippy::result_large_err)]

#[cfg(feature = "cli")]
pub mod cli;
pub mod date;
pub mod diag;
#[cfg(feature = "export")]
pub mod export;
pub mod figure;
pub mod fmt;
pub mod golden;
pub mod load;
pub mod lower;
#[cfg(feature = "cli")]
pub mod lsp;
pub mod model;
pub mod parallel;
pub mod query;
pub mod render;
#[cfg(feature = "report")]
pub mod report;
pub mod session;
pub mod source;
pub mod syntax;
pub mod validate;
pub mod write;

pub use diag::{Code, Diagnostic, Severity};
pub use load::{load_file, load_str, Loaded, Program};
pub use model::Model;

/// Runs a query against a loaded model and renders the answer as text.
/// On a bad query, returns the diagnostic rendered without colour;
/// [`session::ask`] gives the diagnostic itself, and JSON answers.
pub fn query(loaded: &Loaded, text: &str) -> Result<String, String> {
    session::ask(&loaded.model, text, session::AnswerFormat::Text)
        .map_err(|e| e.render(diag::RenderOptions::default()))
}
