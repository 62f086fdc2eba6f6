//! The integration tests: one test binary (`cargo test --test it`), one module per topic, as
//! ripgrep does. Each module's first line says what it covers; `tests/web.rs` (the panel in a
//! browser, wasm32 only) is its own target.
//!
//! Run one topic with `cargo test --test it cases::`; rewrite the data-driven expectations
//! with `UPDATE_EXPECT=1 cargo test --test it cases::` (see `cases.rs`).

mod alert_shapes;
mod cases;
mod cli;
mod corpus;
mod hostile;
mod hostile_packs;
mod limits;
mod lint;
mod log_window;
mod managed_schema;
mod pack_v4;
mod page;
mod randomised;
mod rules;
mod shell_contexts;
mod shell_quoting;
mod shipped_choices;
mod style;
mod support;
mod work;
