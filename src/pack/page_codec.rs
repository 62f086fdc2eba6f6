//! STAND-IN page codec (until the real `page_codec.rs` is merged): a page body as the v3 wire
//! JSON (`wire.rs`) inside one length-prefixed string. Same signatures as the real codec.

use crate::pack::bytes::{BytesError, Reader, Writer};
use crate::runbook::Runbook;

/// Writes the whole page (file and front matter included).
pub fn write_page(w: &mut Writer, rb: &Runbook) {
    let json = serde_json::to_string(&super::wire::Runbook::from(rb)).unwrap_or_default();
    w.str(&json);
}

/// Reads a page [`write_page`] wrote.
pub fn read_page(r: &mut Reader<'_>) -> Result<Runbook, BytesError> {
    let at = r.pos();
    let json = r.str("page body")?;
    let page: super::wire::Runbook = serde_json::from_str(json).map_err(|_| BytesError {
        what: "page body",
        at,
    })?;
    Ok(Runbook::from(page))
}
