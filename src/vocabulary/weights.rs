//! How much matching trusts each kind of evidence, in one table. Strengths are relative to an
//! ordinary alert field value ([`FIELD`] = 1.0); a posting's score is the query strength times
//! the page strength times the identifier's rarity (idf). The corpus conformance test (each
//! Example Alert rewritten as another incident must find its own page) and the data-driven
//! cases in `tests/cases` pin their effect: change one only with both of them run.

// --- The alert's side: identifiers and their strength -------------------------------------

/// A value of a field that names the alert (`alertname`, `alert_situation`, `alert_key`): the
/// same rule fires the same name in every incident, so it counts three ordinary fields.
pub const NAME_FIELD: f32 = 3.0;

/// Any other one-word field value (`operation`, `reason_code`): the unit of every strength.
pub const FIELD: f32 = 1.0;

/// Each part of a compound name (`cluster_squad/orchestrator_…/DeleteClientID`), as a share of
/// the whole: a page naming one part ranks well below one naming the whole, while three parts
/// together weigh about as much as the whole name.
pub const COMPOUND_PART_SHARE: f32 = 0.3;

/// An identifier inside a multi-word value of a name field (a summary in `alert`): half a
/// whole name, since the value also carries words that are not the name.
pub const NAME_PHRASE_ID: f32 = 1.5;

/// An identifier inside a multi-word value of another field (a description): descriptions
/// mention many identifiers, so each is well under a field value.
pub const PHRASE_ID: f32 = 0.4;

/// An identifier of a title that is not an Armada PagerDuty title: as good as a field value.
pub const TITLE_ID: f32 = 1.0;

/// An identifier of the alert's free text (not a field): wording moves between incidents more
/// than fields do, so it counts a little over half a field value.
pub const TEXT_ID: f32 = 0.6;

/// A free-text line that is one identifier (`KubernetesPodScrapeFailure`) when the alert has no
/// fields: that line is the alert's name (Sysdig and synthetic checks), so it weighs a name.
pub const LONE_LINE_NAME: f32 = 3.0;

/// The same one-identifier line in an alert that has fields: the fields carry the name, so the
/// line is only a field's worth.
pub const LONE_LINE: f32 = 1.0;

/// A whole free-text line without its volatile parts, compared as one phrase: a field's worth,
/// so the same sentence in another incident matches like a shared value.
pub const PHRASE_LINE: f32 = 1.0;

// --- The runbook's side: where a page names an identifier --------------------------------

/// The front matter `service`: the page's own statement of what it covers.
pub const SERVICE: f32 = 1.0;

/// An identifier of the page title or `runbook-name`: titles are written for people and
/// shared by sibling pages, so half a field.
pub const RUNBOOK_TITLE_ID: f32 = 0.5;

/// An identifier of a heading or code span of the page body: bodies mention many things the
/// alert is not about, so this stays low; a name found only there (3.0 × 0.3) just reaches
/// [`REASON_MIN_STRENGTH`].
pub const BODY_ID: f32 = 0.3;

/// Word weight (BM25 term frequency) of the Example Alert's text: the words an alert of this
/// page really shows.
pub const EXAMPLE_WORDS: f32 = 3.0;

/// Word weight of the title, `runbook-name`, description and section headings.
pub const HEADING_WORDS: f32 = 2.0;

/// Word weight of the rest of the page.
pub const BODY_WORDS: f32 = 1.0;

// --- Ranking -------------------------------------------------------------------------------

/// An identifier match is listed as a reason when query strength × page strength reaches this:
/// a field value in the Example Alert (1.0 × 1.0), a name in the body (3.0 × 0.3), not a word of
/// free text found in the Example Alert (0.6 × 1.0).
pub const REASON_MIN_STRENGTH: f32 = 0.9;

/// A name that fits an Example Alert pattern (`<DEPLOYMENT>_unavailable`) scores this (scaled
/// by its strength over [`NAME_FIELD`]): about a third of the same name found exactly in one
/// page of a few hundred (idf ≈ 6 × 3.0), since a pattern is less certain than the name itself.
/// Its evidence is its strength over [`NAME_FIELD`] (1.0 for a name), enough to call a fit.
pub const PATTERN_SCORE: f32 = 6.0;

/// BM25's term-frequency saturation, the usual default (Robertson and Zaragoza).
pub const BM25_K1: f32 = 1.2;

/// BM25's length normalisation, the usual default.
pub const BM25_B: f32 = 0.75;

/// The share of BM25 in the score: shared wording orders pages that share identifiers and
/// finds pages for alerts without any, but a few common words must not outweigh one shared
/// identifier (a unique name scores idf × 3.0).
pub const WORD_SCALE: f32 = 0.35;

/// A word found in more than one page in this many (and at least [`COMMON_WORD_MIN_PAGES`]) is
/// common: it only adds to pages that already have other evidence, so a large pack does not
/// make every query walk every page.
pub const COMMON_WORD_PAGES_PER: usize = 10;

/// See [`COMMON_WORD_PAGES_PER`]: in a small pack no word is common before this many pages.
pub const COMMON_WORD_MIN_PAGES: usize = 50;

/// The bonus of a page whose whole Example Alert appears in the alert (scaled by the share of
/// its Example Alert's strength the alert covers): a name's strength, without rarity, so among
/// pages that share the alert's name the one whose example the alert matches completely comes
/// first.
pub const COVERAGE_BONUS: f32 = 3.0;

/// A page that is not `type: Alert` keeps this share of its score: overview and how-to pages
/// share an alert's words and names, but the alert's own page should come first.
pub const NOT_ALERT_PAGE: f32 = 0.6;

/// The least identifier evidence called a fit: one identifier of the alert, found in the
/// page's Example Alert and in no other page (or a name found in a few pages).
pub const CONFIDENT_EVIDENCE: f32 = 0.9;

/// A page is also a fit on words alone when it has at least this many of the alert's words…
pub const WORD_FIT_MIN_WORDS: u32 = 4;

/// …and at least this share of them: an alert without identifiers (free text only) can still
/// find the page that says the same thing.
pub const WORD_FIT_SHARE: f32 = 0.6;

// --- The scenario inside a runbook ---------------------------------------------------------

/// A heading that names one of the alert's values (`ErrorUnclassified in DeleteClientID`):
/// each value named adds this, so the heading naming the most values wins.
pub const HEADING_VALUE: f32 = 3.0;

/// An error code of the log line (letters and digits, `BXNIM0515E`) in a sub-heading: one alone
/// decides the sub-scenario.
pub const LOG_CODE: f32 = 3.0;

/// A number of the log line (`403`) in a sub-heading: strong, but a status code alone is not
/// enough unless a word also matches.
pub const LOG_NUMBER: f32 = 2.0;

/// Another word of the log line in a sub-heading: weak, wording repeats across headings.
pub const LOG_WORD: f32 = 0.5;

/// The least log-line score that picks a sub-scenario: one error code, or a number with a word.
pub const LOG_MIN_SCORE: f32 = 2.5;
