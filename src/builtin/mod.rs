//! The built-in example pack: a few runbooks written for this project, compiled into the
//! binary (and, later, the extension) so the tool works before a team loads its own pages.

use crate::pack::Pack;

/// (path relative to the pack root, page text) of every built-in runbook.
pub const PAGES: &[(&str, &str)] = &[
    ("cluster/orchestrator-callback-errors.md", include_str!("runbooks/cluster/orchestrator-callback-errors.md")),
    ("armada/etcd-backup-failing.md", include_str!("runbooks/armada/etcd-backup-failing.md")),
    ("armada/node-not-ready.md", include_str!("runbooks/armada/node-not-ready.md")),
    ("armada/api-5xx-errors.md", include_str!("runbooks/armada/api-5xx-errors.md")),
    ("armada/login-to-carrier.md", include_str!("runbooks/armada/login-to-carrier.md")),
];

/// The name the built-in pack goes by.
pub const NAME: &str = "built-in examples";

/// Parses the built-in pages into a pack.
pub fn pack() -> Pack {
    Pack::from_pages(NAME, PAGES.iter().copied())
}
