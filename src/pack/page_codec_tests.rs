//! Tests of the page codec: every page reads back as written (the sample with every variant,
//! the built-in pages, the shared corpus), and damaged or hostile bytes are an error naming
//! the field, never a panic: every truncation, random byte flips, nesting bombs, huge counts.

use super::{read_page, write_page, LIST, MAX_PAGE_ITEMS, STRONG};
use crate::alert::{Alert, Field};
use crate::pack::bytes::{BytesError, Reader, Writer};
use crate::pack::{check, sample};
use crate::runbook::markdown::MAX_NESTING;
use crate::runbook::{
    Block, FrontMatter, Inline, Link, LinkKind, Problem, Runbook, Section, Severity,
};

fn encode(rb: &Runbook) -> Vec<u8> {
    let mut w = Writer::new();
    write_page(&mut w, rb);
    w.buf
}

fn decode(bytes: &[u8]) -> Result<Runbook, BytesError> {
    read_page(&mut Reader::new(bytes))
}

/// Encodes `rb`, reads it back, and checks that it is the same page and that every byte was
/// read; returns the encoding.
fn assert_round_trip(rb: &Runbook) -> Vec<u8> {
    let bytes = encode(rb);
    let mut r = Reader::new(&bytes);
    let back = read_page(&mut r).unwrap_or_else(|e| panic!("{}: {e}", rb.file));
    assert_eq!(back, *rb, "{} reads back differently", rb.file);
    assert!(
        r.is_empty(),
        "{}: {} bytes left",
        rb.file,
        bytes.len() - r.pos()
    );
    bytes
}

fn page(blocks: Vec<Block>) -> Runbook {
    Runbook {
        file: "p.md".into(),
        front: FrontMatter::default(),
        sections: vec![Section {
            level: 0,
            heading: String::new(),
            anchor: String::new(),
            parent: None,
            line: 1,
            blocks,
        }],
        links: Vec::new(),
        example_section: None,
        example_alerts: Vec::new(),
        example_text: String::new(),
        problems: Vec::new(),
    }
}

/// Values at the edges of their types, and the variants the sample leaves out (an unordered
/// list, a section without blocks under a parent, a warning first).
fn edges() -> Runbook {
    let mut rb = page(vec![
        Block::List {
            ordered: false,
            start: u64::MAX,
            items: vec![Vec::new(), vec![Block::Quote { blocks: Vec::new() }]],
        },
        Block::Code {
            lang: String::new(),
            text: "é\u{200b}\n\0".into(),
            line: usize::MAX,
        },
        Block::Table {
            rows: vec![Vec::new(), vec![Vec::new(), vec![Inline::Break]]],
        },
        Block::Para {
            inlines: Vec::new(),
        },
    ]);
    rb.sections.push(Section {
        level: u8::MAX,
        heading: "h".into(),
        anchor: "a".into(),
        parent: Some(usize::MAX),
        line: 0,
        blocks: Vec::new(),
    });
    rb.front.owners = vec![String::new(), "o".into()];
    rb.links.push(Link {
        text: String::new(),
        url: "u".into(),
        kind: LinkKind::Other,
        section: usize::MAX,
    });
    rb.example_section = Some(0);
    rb.example_alerts.push(Alert {
        title: None,
        fields: vec![Field {
            key: "k".into(),
            value: String::new(),
            from_title: false,
        }],
        source: None,
        text: "t".into(),
    });
    rb.problems = vec![Problem::warning(0, "", ""), Problem::error(7, "m", "f")];
    rb
}

#[test]
fn every_variant_reads_back_as_written() {
    for rb in sample::runbooks().iter().chain([&edges()]) {
        assert_round_trip(rb);
    }
}

#[test]
fn builtin_pages_read_back_as_written() {
    let pages = crate::builtin::pack().runbooks();
    assert!(!pages.is_empty(), "no built-in pages");
    for rb in &pages {
        assert_round_trip(rb);
    }
}

/// Every page of the shared corpus reads back as written. Ignored like the corpus tests of
/// `tests/it/corpus.rs` (a plain `cargo test` lists it as ignored, never as passed); run with
/// `--include-ignored`, a missing corpus fails it. Prints the encoded size against the v3 JSON
/// of the same pages; `RUNBOOK_LENS_PAGES_OUT=<file>` also writes the encoded pages there,
/// one after another, to measure them compressed.
#[cfg(all(feature = "markdown", not(target_arch = "wasm32")))]
#[test]
#[ignore = "reads ../shared/corpus (test data outside the repository); run with --include-ignored"]
fn corpus_pages_read_back_as_written() {
    let dir = match std::env::var_os("RUNBOOK_LENS_CORPUS") {
        Some(d) if !d.is_empty() => std::path::PathBuf::from(d),
        _ => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/armada"),
    };
    assert!(
        dir.is_dir(),
        "the shared corpus is absent at {} (set RUNBOOK_LENS_CORPUS, or run without --include-ignored)",
        dir.display()
    );
    let pages = crate::pack::read_folder(&dir).expect("corpus readable");
    assert!(
        pages.len() >= 700,
        "expected the corpus, found {} pages",
        pages.len()
    );
    let runbooks: Vec<Runbook> = pages
        .iter()
        .map(|(path, text)| crate::runbook::parse_runbook(path, text))
        .collect();
    let mut all = Vec::new();
    for rb in &runbooks {
        all.extend(assert_round_trip(rb));
    }
    let json = crate::pack::Pack::from_runbooks("corpus", runbooks).to_json();
    eprintln!(
        "{} corpus pages: {} bytes encoded, {} bytes of v3 JSON",
        pages.len(),
        all.len(),
        json.len()
    );
    if let Some(out) = std::env::var_os("RUNBOOK_LENS_PAGES_OUT") {
        std::fs::write(out, &all).expect("write the encoded pages");
    }
}

/// Every prefix of an encoded page is refused: the decoder reads the bytes in order, so one
/// cut short runs out somewhere, and must say so rather than return a shorter page.
#[test]
fn every_truncation_is_an_error() {
    let mut pages = sample::runbooks();
    pages.push(edges());
    pages.extend(crate::builtin::pack().runbooks());
    for rb in &pages {
        let bytes = encode(rb);
        for cut in 0..bytes.len() {
            assert!(
                decode(&bytes[..cut]).is_err(),
                "{} cut at {cut} of {} bytes read as a page",
                rb.file,
                bytes.len()
            );
        }
    }
}

/// Damaged pages (a few bytes changed, anywhere) and random bytes never panic; what still
/// reads as a page goes through the pack's checks without panicking either.
#[test]
fn byte_flips_never_panic() {
    let pages: Vec<Vec<u8>> = crate::builtin::pack()
        .runbooks()
        .iter()
        .map(encode)
        .collect();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        // xorshift64: deterministic, so a failure repeats.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let (mut ok, mut refused) = (0, 0);
    for round in 0..3000 {
        let mut bytes = pages[round % pages.len()].clone();
        if round % 10 == 9 {
            bytes.truncate((next() % 64) as usize);
            bytes.iter_mut().for_each(|b| *b = next() as u8);
        }
        for _ in 0..1 + next() % 4 {
            if bytes.is_empty() {
                break;
            }
            let at = (next() % bytes.len() as u64) as usize;
            bytes[at] ^= 1 + (next() % 255) as u8;
        }
        match decode(&bytes) {
            Ok(rb) => {
                let _ = check::runbook(&rb);
                ok += 1;
            }
            Err(_) => refused += 1,
        }
    }
    // Both outcomes happen: the flips reach text (still a page) and structure (refused).
    assert!(ok > 0 && refused > 0, "{ok} read, {refused} refused");
}

/// The start of a page with one section whose blocks follow: file, front matter (seven absent
/// strings, three empty lists), one section of level 0 without parent, heading, anchor, line.
fn page_head() -> Writer {
    let mut w = Writer::new();
    w.str("bomb.md");
    (0..10).for_each(|_| w.u8(0));
    w.len(1);
    w.uint(0);
    w.str("");
    w.str("");
    w.len(1);
    w
}

#[test]
fn nesting_bombs_are_refused() {
    // A list in a list in a list …, 100,000 deep, with no end.
    let mut w = page_head();
    w.len(1);
    for _ in 0..100_000 {
        w.u8(LIST);
        w.uint(1);
        w.len(1); // one item
        w.len(1); // of one block
    }
    assert_eq!(decode(&w.buf).expect_err("refused").what, "block nesting");
    // Strong in strong …, in a paragraph.
    let mut w = page_head();
    w.len(1);
    w.u8(super::PARA);
    for _ in 0..100_000 {
        w.len(1);
        w.u8(STRONG);
    }
    assert_eq!(decode(&w.buf).expect_err("refused").what, "inline nesting");
}

/// Lists `depth` deep, the innermost holding `inner`.
fn nested_lists(depth: usize, inner: Vec<Block>) -> Runbook {
    let mut blocks = inner;
    for _ in 0..depth {
        blocks = vec![Block::List {
            ordered: true,
            start: 1,
            items: vec![blocks],
        }];
    }
    page(blocks)
}

/// The decoder's depth limit is the one `check.rs` applies: what it reads passes the check,
/// and one level more is refused by both.
#[test]
fn nesting_up_to_the_checks_limit_reads() {
    let strong = |inlines| {
        vec![Block::Para {
            inlines: vec![Inline::Strong(inlines)],
        }]
    };
    let fits = [
        nested_lists(MAX_NESTING, Vec::new()),
        nested_lists(MAX_NESTING - 1, strong(vec![Inline::Break])),
    ];
    for rb in &fits {
        assert_round_trip(rb);
        assert!(check::runbook(rb).is_ok());
    }
    let deeper = [
        (nested_lists(MAX_NESTING + 1, Vec::new()), "block nesting"),
        (
            nested_lists(MAX_NESTING, strong(Vec::new())),
            "inline nesting",
        ),
    ];
    for (rb, what) in &deeper {
        assert!(check::runbook(rb).is_err());
        assert_eq!(decode(&encode(rb)).expect_err("refused").what, *what);
    }
}

#[test]
fn huge_counts_and_unknown_tags_are_refused_by_name() {
    let mut w = Writer::new();
    w.str("p.md");
    (0..10).for_each(|_| w.u8(0));
    let head = w.buf.clone();
    w.len(crate::pack::MAX_SECTIONS + 1);
    assert_eq!(decode(&w.buf).expect_err("refused").what, "section count");
    // A count within the bound but with nothing behind it: refused when the bytes run out,
    // after allocating only for what was read.
    let mut w = Writer { buf: head };
    w.len(crate::pack::MAX_SECTIONS);
    assert_eq!(decode(&w.buf).expect_err("refused").what, "section level");
    let mut w = page_head();
    w.uint(u64::MAX);
    assert_eq!(decode(&w.buf).expect_err("refused").what, "block count");
    let mut w = page_head();
    w.len(1);
    w.u8(7);
    assert_eq!(decode(&w.buf).expect_err("refused").what, "block kind");
    let mut w = page_head();
    w.len(1);
    w.u8(super::PARA);
    w.len(1);
    w.u8(6);
    assert_eq!(decode(&w.buf).expect_err("refused").what, "inline kind");
    // More extraction rules than a page may carry.
    let mut w = Writer::new();
    w.str("p.md");
    (0..8).for_each(|_| w.u8(0));
    w.len(check::MAX_PAGE_RULES + 1);
    assert_eq!(
        decode(&w.buf).expect_err("refused").what,
        "front matter extract"
    );
}

/// A link kind or problem severity a newer build writes reads as the JSON form reads it:
/// `Other` and a warning.
#[test]
fn unknown_link_kinds_and_severities_read_as_fallbacks() {
    let mut rb = page(Vec::new());
    rb.links.push(Link {
        text: "t".into(),
        url: "https://example.com/".into(),
        kind: LinkKind::Escalation,
        section: 0,
    });
    rb.problems.push(Problem::error(3, "m", "f"));
    let mut bytes = encode(&rb);
    // The link's kind byte follows its url; the severity is the byte after the problem count,
    // which sits after the empty example text (0) and before the line (3).
    let url_end = bytes
        .windows(20)
        .position(|w| w == b"https://example.com/")
        .expect("url written")
        + 20;
    assert_eq!(bytes[url_end], 0, "Escalation is tag 0");
    bytes[url_end] = 200;
    let severity_at = bytes.len() - 6;
    assert_eq!(bytes[severity_at..severity_at + 2], [0, 3]);
    bytes[severity_at] = 9;
    let back = decode(&bytes).expect("reads");
    assert_eq!(back.links[0].kind, LinkKind::Other);
    assert_eq!(back.problems[0].severity, Severity::Warning);
}

/// A link the parser collected and an anchor it made are not written again: the url and the
/// anchor appear once in the encoding (in the inline link and in the heading), and read back.
#[test]
fn derived_links_and_anchors_are_written_once() {
    let mut rb = page(vec![Block::Para {
        inlines: vec![Inline::Link {
            url: "https://example.com/dashboard-url".into(),
            children: vec![Inline::Text("Dash".into()), Inline::Code("board".into())],
        }],
    }]);
    rb.sections[0].heading = "Check The-Queue_depth!".into();
    rb.sections[0].anchor = "check-the-queue_depth".into();
    rb.links.push(Link {
        text: "Dashboard".into(),
        url: "https://example.com/dashboard-url".into(),
        kind: LinkKind::Dashboard,
        section: 0,
    });
    let bytes = assert_round_trip(&rb);
    let count =
        |bytes: &[u8], needle: &[u8]| bytes.windows(needle.len()).filter(|w| *w == needle).count();
    assert_eq!(count(&bytes, b"dashboard-url"), 1);
    assert_eq!(count(&bytes, b"check-the-queue"), 0);
    // A link whose position in its section is past its inline links is refused by name.
    let at = bytes.len() - 7;
    assert_eq!(
        bytes[at..at + 3],
        [0, 1, 2],
        "section 0, position 1, kind Dashboard"
    );
    let mut bad = bytes.clone();
    bad[at + 1] = 2;
    assert_eq!(decode(&bad).expect_err("refused").what, "link position");
    // Each position is used once: two links naming the same inline link are refused, so no
    // page makes the reader copy one long link text for every link.
    let mut twice = rb.clone();
    twice.links.push(twice.links[0].clone());
    let bytes = assert_round_trip(&twice);
    assert_eq!(count(&bytes, b"dashboard-url"), 2, "the second written out");
    let mut bad = bytes[..at - 1].to_vec();
    bad.extend([2, 0, 1, 2, 0, 1, 2]);
    bad.extend(&bytes[bytes.len() - 4..]);
    assert_eq!(decode(&bad).expect_err("refused").what, "link position");
}

/// A page of more items than [`MAX_PAGE_ITEMS`] is refused before they are all allocated; one
/// of exactly that many reads (one section, one paragraph, the rest line breaks).
#[test]
fn pages_of_more_items_than_the_bound_are_refused() {
    let breaks = |n| {
        page(vec![Block::Para {
            inlines: vec![Inline::Break; n],
        }])
    };
    assert_round_trip(&breaks(MAX_PAGE_ITEMS - 2));
    let refused = decode(&encode(&breaks(MAX_PAGE_ITEMS - 1))).expect_err("refused");
    assert_eq!(refused.what, "page items (too many)");
}
