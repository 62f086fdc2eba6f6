//! Small DOM builders for the panel. Text always goes in as text nodes (`textContent`), never
//! as markup; links are only ever `http(s)` and open with `rel="noopener"`.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlElement};

use crate::quote::is_safe_link;
use crate::runbook::{Block, Inline};

/// Creates `<tag>` with attributes, appended to `parent`.
pub fn child(
    doc: &Document,
    parent: &Element,
    tag: &str,
    attrs: &[(&str, &str)],
) -> Result<Element, JsValue> {
    let e = doc.create_element(tag)?;
    for (k, v) in attrs {
        e.set_attribute(k, v)?;
    }
    parent.append_child(&e)?;
    Ok(e)
}

/// `text` with characters that would change how it reads without showing themselves
/// (controls other than newline and tab, Unicode direction overrides and isolates) shown as
/// `⟨U+202E⟩`: an alert title must not be able to reverse what follows it.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    use crate::text::is_hidden_char as hidden;
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if hidden(c) {
            out.push_str(&format!("⟨U+{:04X}⟩", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Creates `<tag>` holding `text`, appended to `parent`.
pub fn text_child(
    doc: &Document,
    parent: &Element,
    tag: &str,
    attrs: &[(&str, &str)],
    text: &str,
) -> Result<Element, JsValue> {
    let e = child(doc, parent, tag, attrs)?;
    e.set_text_content(Some(&visible(text)));
    Ok(e)
}

/// Appends a text node.
pub fn text(doc: &Document, parent: &Element, text: &str) -> Result<(), JsValue> {
    parent.append_child(&doc.create_text_node(&visible(text)))?;
    Ok(())
}

/// A link that opens in a new tab when `url` is http(s); plain text otherwise.
pub fn link(
    doc: &Document,
    parent: &Element,
    url: &str,
    label: &str,
    attrs: &[(&str, &str)],
) -> Result<Element, JsValue> {
    if is_safe_link(url) {
        let a = child(doc, parent, "a", attrs)?;
        a.set_attribute("href", url)?;
        a.set_attribute("rel", "noopener noreferrer")?;
        a.set_attribute("target", "_blank")?;
        a.set_text_content(Some(&visible(label)));
        Ok(a)
    } else {
        text_child(doc, parent, "span", attrs, label)
    }
}

/// A button with visible `label` and accessible name `aria`.
pub fn button(
    doc: &Document,
    parent: &Element,
    label: &str,
    aria: &str,
    attrs: &[(&str, &str)],
) -> Result<HtmlElement, JsValue> {
    let b = child(doc, parent, "button", attrs)?;
    b.set_attribute("type", "button")?;
    b.set_attribute("aria-label", aria)?;
    b.set_text_content(Some(label));
    b.dyn_into::<HtmlElement>()
        .map_err(|_| JsValue::from_str("button is not an HTMLElement"))
}

/// Renders runbook markdown blocks. Raw HTML never reached these blocks (the parser drops it).
pub fn blocks(doc: &Document, parent: &Element, blocks: &[Block]) -> Result<(), JsValue> {
    for b in blocks {
        match b {
            Block::Para { inlines: v } => {
                let p = child(doc, parent, "p", &[])?;
                self::inlines(doc, &p, v)?;
            }
            Block::Heading { inlines: v } => {
                let h = child(doc, parent, "h5", &[])?;
                self::inlines(doc, &h, v)?;
            }
            Block::Code { text, .. } => {
                let pre = child(doc, parent, "pre", &[])?;
                text_child(doc, &pre, "code", &[], text.trim_end_matches('\n'))?;
            }
            Block::List {
                ordered,
                start,
                items,
            } => {
                let list = child(doc, parent, if *ordered { "ol" } else { "ul" }, &[])?;
                if *ordered && *start != 1 {
                    list.set_attribute("start", &start.to_string())?;
                }
                for item in items {
                    let li = child(doc, &list, "li", &[])?;
                    // A tight item is one paragraph; render it inline so lists stay compact.
                    if let [Block::Para { inlines: v }] = item.as_slice() {
                        self::inlines(doc, &li, v)?;
                    } else {
                        self::blocks(doc, &li, item)?;
                    }
                }
            }
            Block::Quote { blocks: inner } => {
                let q = child(doc, parent, "blockquote", &[])?;
                self::blocks(doc, &q, inner)?;
            }
            Block::Table { rows } => {
                let t = child(doc, parent, "table", &[])?;
                for (i, row) in rows.iter().enumerate() {
                    let tr = child(doc, &t, "tr", &[])?;
                    for cell in row {
                        let td = child(doc, &tr, if i == 0 { "th" } else { "td" }, &[])?;
                        self::inlines(doc, &td, cell)?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// Renders inline markdown.
pub fn inlines(doc: &Document, parent: &Element, v: &[Inline]) -> Result<(), JsValue> {
    for i in v {
        match i {
            Inline::Text(t) => text(doc, parent, t)?,
            Inline::Code(c) => {
                text_child(doc, parent, "code", &[], c)?;
            }
            Inline::Strong(c) => {
                let s = child(doc, parent, "strong", &[])?;
                inlines(doc, &s, c)?;
            }
            Inline::Emph(c) => {
                let s = child(doc, parent, "em", &[])?;
                inlines(doc, &s, c)?;
            }
            Inline::Link { url, children } => {
                if is_safe_link(url) {
                    let a = link(doc, parent, url, "", &[])?;
                    inlines(doc, &a, children)?;
                } else {
                    let s = child(doc, parent, "span", &[])?;
                    inlines(doc, &s, children)?;
                }
            }
            Inline::Break => {
                child(doc, parent, "br", &[])?;
            }
        }
    }
    Ok(())
}

/// Appends `text` where `` `…` `` spans become `<code>`: the engine's reasons quote alert
/// values that way.
pub fn rich_text(doc: &Document, parent: &Element, text: &str) -> Result<(), JsValue> {
    for (i, part) in text.split('`').enumerate() {
        if part.is_empty() {
            continue;
        }
        if i % 2 == 1 {
            text_child(doc, parent, "code", &[], part)?;
        } else {
            self::text(doc, parent, part)?;
        }
    }
    Ok(())
}
