//! The runbook's command sequences: each step a live, filled command with its Copy button,
//! and "Copy all" for a sequence of several steps.

use wasm_bindgen::JsValue;

use super::copy::copy_listener;
use super::live::LiveText;
use super::render::RenderCtx;
use super::State;
use crate::guidance::CommandSequence;
use crate::placeholder::Syntax;
use crate::web::dom;

/// The "Commands" box, when the scenario has command sequences.
pub(super) fn render(s: &mut State, cx: &RenderCtx) -> Result<(), JsValue> {
    if cx.m.commands.is_empty() {
        return Ok(());
    }
    let cmds = dom::child(cx.doc, cx.section, "div", &[("data-rl", "commands")])?;
    dom::text_child(cx.doc, &cmds, "h4", &[], "Commands")?;
    for seq in &cx.m.commands {
        sequence(s, cx, &cmds, seq)?;
    }
    Ok(())
}

/// One sequence: its intro, its numbered steps, and "Copy all" when there are several.
fn sequence(
    s: &mut State,
    cx: &RenderCtx,
    cmds: &web_sys::Element,
    seq: &CommandSequence,
) -> Result<(), JsValue> {
    let doc = cx.doc;
    let box_ = dom::child(doc, cmds, "div", &[("data-rl", "sequence")])?;
    if let Some(intro) = &seq.intro {
        dom::text_child(doc, &box_, "p", &[("data-rl", "sequence-intro")], intro)?;
    }
    let ol = dom::child(doc, &box_, "ol", &[("data-rl", "steps")])?;
    let mut codes = Vec::new();
    for (k, step) in seq.steps.iter().enumerate() {
        let li = dom::child(doc, &ol, "li", &[("data-rl", "step")])?;
        if !step.description.is_empty() {
            li.set_attribute("title", &step.description)?;
        }
        let code = dom::child(doc, &li, "code", &[("data-rl", "step-text")])?;
        let copy = dom::button(
            doc,
            &li,
            "Copy",
            &format!("Copy step {}", k + 1),
            &[("data-rl", "copy-step")],
        )?;
        // A step whose value looks wrong (or stands where it cannot be filled) asks before
        // copying, as "Copy all" does.
        s.listeners
            .push(copy_listener(&copy, vec![code.clone()], Some(li.clone())));
        s.live.push(LiveText {
            alert: cx.alert,
            template: step.template.clone(),
            syntax: Syntax::Shell,
            code: code.clone(),
            open: None,
            warn: Some(li.clone()),
        });
        codes.push(code);
    }
    if codes.len() > 1 {
        let all = dom::button(
            doc,
            &box_,
            "Copy all",
            &format!("Copy all {} steps", codes.len()),
            &[("data-rl", "copy-all")],
        )?;
        s.listeners
            .push(copy_listener(&all, codes, Some(ol.clone())));
    }
    Ok(())
}
