//! The "Extraction rules" section: regular expressions whose named groups fill the
//! placeholders of the same name from the alert's text and pasted log lines, one rule a line,
//! checked like every setting before anything is stored (a bad rule names `extract[n]`), or the
//! rules the organisation's policy sets.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlTextAreaElement;

use super::{save, Ctx};

/// The rules a textarea holds: one a line, blank lines left out. Patterns keep their spaces
/// (`controller (?P<id>…)` matches one), only the line's ends are trimmed.
fn rules_of(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

pub(super) fn render(cx: &mut Ctx) -> Result<(), JsValue> {
    let sec = cx.section(
        "extract",
        "Extraction rules",
        "Regular expressions (Rust `regex` syntax), one a line, run over the alert and every pasted log line: a named group fills the placeholder of its name, e.g. `controller (?P<controllerid>[0-9a-f]{8,})` fills `<controllerid>`. A runbook can carry its own rules in its front matter (`extract:`).",
    )?;
    let (rules, locked) = match &cx.s.managed.extract {
        Some(r) => (r.clone(), true),
        None => (cx.s.settings.extract.clone(), false),
    };
    let area = cx.child(
        &sec,
        "textarea",
        &[
            ("data-rl", "extract-rules"),
            (
                "aria-label",
                "Extraction rules, one regular expression a line",
            ),
            ("rows", "4"),
            ("spellcheck", "false"),
            ("placeholder", "controller (?P<controllerid>[0-9a-f]{8,})"),
        ],
    )?;
    let Some(textarea) = area.dyn_ref::<HtmlTextAreaElement>().cloned() else {
        return Ok(());
    };
    textarea.set_value(&rules.join("\n"));
    if locked {
        area.set_attribute("disabled", "")?;
        area.set_attribute("data-locked", "true")?;
        cx.locked_badge(&sec)?;
        return Ok(());
    }
    let row = cx.child(&sec, "div", &[("class", "row")])?;
    let b = cx.button(
        &row,
        "Save rules",
        "Save rules: the extraction rules",
        &[("data-rl", "extract-save")],
    )?;
    cx.on(&b, "click", move |state, _| {
        let rules = rules_of(&textarea.value());
        let mut next = state.borrow().settings.clone();
        let done = match rules.len() {
            0 => "Extraction rules cleared.".to_string(),
            1 => "1 extraction rule saved.".to_string(),
            n => format!("{n} extraction rules saved."),
        };
        next.extract = rules;
        spawn_local(save(state, next, done));
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::rules_of;

    #[test]
    fn one_rule_a_line() {
        assert_eq!(
            rules_of("  controller (?P<id>[0-9a-f]+) \n\n(?P<region>us-south)\n"),
            vec!["controller (?P<id>[0-9a-f]+)", "(?P<region>us-south)"]
        );
    }
}
