//! The head of one alert's section: its title, where it fires (region · carrier · environment)
//! and, when the page shows only the alert's title, which values its details would fill.

use wasm_bindgen::JsValue;
use web_sys::{Document, Element};

use crate::guidance::{AlertGuidance, Place, TitleOnly};
use crate::web::dom;

/// The alert's title (or its name, or "Alert n"), its place and the title-only notice.
pub(in crate::web::panel) fn render(
    doc: &Document,
    section: &Element,
    g: &AlertGuidance,
    name: Option<&str>,
    index: usize,
) -> Result<(), JsValue> {
    let title = g
        .title
        .clone()
        .or_else(|| name.map(str::to_string))
        .unwrap_or_else(|| format!("Alert {}", index + 1));
    dom::text_child(doc, section, "h2", &[("data-rl", "alert-title")], &title)?;
    if let Some(place) = &g.place {
        render_place(doc, section, place)?;
    }
    if let Some(t) = &g.title_only {
        render_title_only(doc, section, t)?;
    }
    Ok(())
}

/// `us-south · prod-dal10-carrier103 · staging`, each part's tooltip saying what it is, so the
/// alerts of an incident in two regions are told apart at a glance.
fn render_place(doc: &Document, section: &Element, place: &Place) -> Result<(), JsValue> {
    let p = dom::child(doc, section, "p", &[("data-rl", "alert-place")])?;
    for (i, (what, value)) in place.parts().enumerate() {
        if i > 0 {
            dom::text(doc, &p, " · ")?;
        }
        dom::text_child(doc, &p, "span", &[("title", what)], value)?;
    }
    Ok(())
}

/// Says that only the alert's title was read, which placeholders its details would fill, and
/// that PagerDuty's "Show Details" on the alert shows them (the panel follows the page).
fn render_title_only(doc: &Document, section: &Element, t: &TitleOnly) -> Result<(), JsValue> {
    let p = dom::child(
        doc,
        section,
        "p",
        &[("data-rl", "title-only-hint"), ("role", "note")],
    )?;
    dom::text(doc, &p, "Only the alert's title is on the page")?;
    for (i, name) in t.missing.iter().enumerate() {
        dom::text(doc, &p, if i == 0 { "; missing: " } else { ", " })?;
        dom::text_child(doc, &p, "code", &[], &format!("<{name}>"))?;
    }
    dom::text(
        doc,
        &p,
        if t.missing.is_empty() {
            ". “Show Details” on the alert in PagerDuty shows its fields."
        } else {
            ". “Show Details” on the alert in PagerDuty fills them."
        },
    )
}
