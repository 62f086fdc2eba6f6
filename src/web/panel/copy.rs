//! The panel's Copy buttons (log search, a step, a sequence's "Copy all"): they copy exactly
//! the text the panel shows.

use gloo_events::EventListener;
use web_sys::{Element, HtmlElement};

/// Copies the current text of `codes` (joined by newlines) when `button` is clicked: exactly
/// what the panel shows. With `guard` (a step's item, or a sequence's list), a click while that
/// step (or a step there) carries a value warning only arms the button ("Copy anyway?"); the
/// next click copies.
pub(super) fn copy_listener(
    button: &HtmlElement,
    codes: Vec<Element>,
    guard: Option<Element>,
) -> EventListener {
    let button2 = button.clone();
    EventListener::new(button, "click", move |_| {
        let warned = guard.as_ref().is_some_and(|g| {
            g.has_attribute("data-warning")
                || g.query_selector("[data-warning]").ok().flatten().is_some()
        });
        if warned && button2.get_attribute("data-confirm").as_deref() != Some("armed") {
            arm(&button2);
            return;
        }
        if button2.remove_attribute("data-confirm").is_ok() {
            if let Some(label) = button2.get_attribute("data-label") {
                let _ = button2.set_attribute("aria-label", &label);
            }
        }
        let text: Vec<String> = codes
            .iter()
            .map(|c| c.text_content().unwrap_or_default())
            .collect();
        copy(&button2, &text.join("\n"));
    })
}

/// The first click on "Copy" or "Copy all" while a step's value looks wrong: ask again,
/// keeping the button's label to restore after the copy.
fn arm(button: &HtmlElement) {
    let _ = button.set_attribute("data-confirm", "armed");
    if let Some(label) = button.get_attribute("aria-label") {
        let _ = button.set_attribute("data-label", &label);
    }
    button.set_text_content(Some("Copy anyway?"));
    let _ = button.set_attribute("aria-label", "Copy anyway: some values look wrong");
}

/// Writes `text` to the clipboard and says on `button` whether that worked.
fn copy(button: &HtmlElement, text: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let promise = window.navigator().clipboard().write_text(text);
    let button = button.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let label = match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(_) => "Copied",
            Err(_) => "Copy failed",
        };
        button.set_text_content(Some(label));
        let _ = button.set_attribute(
            "data-copied",
            if label == "Copied" { "true" } else { "false" },
        );
    });
}
