//! The pack file's wire format: the JSON shape `runbook-lens pack` writes and every build
//! reads, kept apart from the parse tree (`crate::runbook`, `crate::alert`) so the parser can
//! change without changing what is on disk, and converted from and to it here.
//!
//! Version 1 is exactly the JSON the parse tree serialised to before this module existed, so
//! packs made then still load. Any change to this shape needs a `PACK_VERSION` bump; the test
//! `pack::tests::wire_shape_is_versioned` (golden file `src/pack/wire_shape.txt`) enforces it.
//! Enum values this build does not know (written by a newer build) read as a fallback instead
//! of failing the whole pack: an unknown block or inline is left out, an unknown link kind is
//! `Other`, an unknown problem severity is a warning.

use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

/// The whole pack file.
#[cfg(feature = "json-packs")]
#[derive(Debug, Serialize, Deserialize)]
pub struct PackFile {
    pub format: String,
    pub version: u32,
    pub name: String,
    pub runbooks: Vec<Runbook>,
}

/// One runbook page, parsed.
#[derive(Debug, Serialize, Deserialize)]
pub struct Runbook {
    pub file: String,
    pub front: FrontMatter,
    pub sections: Vec<Section>,
    pub links: Vec<Link>,
    #[serde(default)]
    pub example_section: Option<usize>,
    #[serde(default)]
    pub example_alerts: Vec<Alert>,
    #[serde(default)]
    pub example_text: String,
    #[serde(default)]
    pub problems: Vec<Problem>,
}

/// The page's front matter.
#[derive(Debug, Serialize, Deserialize)]
pub struct FrontMatter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runbook_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owners: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Extraction rules (version 2); version 1 packs have none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extract: Vec<String>,
    /// Alert names this page is chosen for (version 2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chosen_for: Vec<String>,
}

/// A heading and its blocks.
#[derive(Debug, Serialize, Deserialize)]
pub struct Section {
    pub level: u8,
    pub heading: String,
    pub anchor: String,
    pub parent: Option<usize>,
    pub line: usize,
    pub blocks: Vec<Block>,
}

/// A block, tagged by `t`. Read through [`BlockFields`]: serde's derive for an internally
/// tagged enum buffers every block through its generic `Content` tree, which cost the panel's
/// wasm several KB of gzip.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "t", try_from = "BlockFields")]
pub enum Block {
    Para {
        inlines: Vec<Inline>,
    },
    Code {
        lang: String,
        text: String,
        line: usize,
    },
    List {
        ordered: bool,
        start: u64,
        items: Vec<Vec<Block>>,
    },
    Quote {
        blocks: Vec<Block>,
    },
    Table {
        rows: Vec<Vec<Vec<Inline>>>,
    },
    Heading {
        inlines: Vec<Inline>,
    },
    /// A kind of block a newer build writes; it is left out when read.
    Unknown,
}

/// Every field a [`Block`] of any kind has, as read; its tag says which must be there.
/// Fields of other kinds (or of newer builds) are ignored.
#[derive(Deserialize)]
struct BlockFields {
    t: String,
    inlines: Option<Vec<Inline>>,
    lang: Option<String>,
    text: Option<String>,
    line: Option<usize>,
    ordered: Option<bool>,
    start: Option<u64>,
    items: Option<Vec<Vec<Block>>>,
    blocks: Option<Vec<Block>>,
    rows: Option<Vec<Vec<Vec<Inline>>>>,
}

impl TryFrom<BlockFields> for Block {
    type Error = String;

    fn try_from(b: BlockFields) -> Result<Block, String> {
        let missing = |what: &str| format!("a `{}` block has `{what}`", b.t);
        Ok(match b.t.as_str() {
            "Para" => Block::Para {
                inlines: b.inlines.ok_or_else(|| missing("inlines"))?,
            },
            "Heading" => Block::Heading {
                inlines: b.inlines.ok_or_else(|| missing("inlines"))?,
            },
            "Code" => match (b.lang, b.text, b.line) {
                (Some(lang), Some(text), Some(line)) => Block::Code { lang, text, line },
                _ => return Err(missing("lang`, `text` and `line")),
            },
            "List" => match (b.ordered, b.start, b.items) {
                (Some(ordered), Some(start), Some(items)) => Block::List {
                    ordered,
                    start,
                    items,
                },
                _ => return Err(missing("ordered`, `start` and `items")),
            },
            "Quote" => Block::Quote {
                blocks: b.blocks.ok_or_else(|| missing("blocks"))?,
            },
            "Table" => Block::Table {
                rows: b.rows.ok_or_else(|| missing("rows"))?,
            },
            _ => Block::Unknown,
        })
    }
}

/// An inline, tagged by `t` with its content in `c`. Read by hand (below): serde's derive
/// cannot give an adjacently tagged enum a fallback for a tag that comes with content.
#[derive(Debug, Serialize)]
#[serde(tag = "t", content = "c")]
pub enum Inline {
    Text(String),
    Code(String),
    Strong(Vec<Inline>),
    Emph(Vec<Inline>),
    Link {
        url: String,
        children: Vec<Inline>,
    },
    Break,
    /// A kind of inline a newer build writes; it is left out when read.
    Unknown,
}

/// A link of the page.
#[derive(Debug, Serialize, Deserialize)]
pub struct Link {
    pub text: String,
    pub url: String,
    pub kind: LinkKind,
    pub section: usize,
}

/// What a link is for.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    Escalation,
    Issue,
    Dashboard,
    Logs,
    Runbook,
    Other,
    /// A kind a newer build knows; read as `Other`, a link shown for what it is.
    #[serde(other)]
    Unknown,
}

/// A problem the page's author can fix.
#[derive(Debug, Serialize, Deserialize)]
pub struct Problem {
    pub severity: Severity,
    pub line: usize,
    pub message: String,
    pub fix: String,
}

/// How bad a problem is.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    /// A severity a newer build knows; read as a warning, which blocks nothing.
    #[serde(other)]
    Unknown,
}

/// An alert of the page's Example Alert section.
#[derive(Debug, Serialize, Deserialize)]
pub struct Alert {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub fields: Vec<Field>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
}

/// One `key = value` of an alert.
#[derive(Debug, Serialize, Deserialize)]
pub struct Field {
    pub key: String,
    pub value: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub from_title: bool,
}

/// The tag of an [`Inline`].
#[derive(Debug, Clone, Copy, Deserialize)]
enum InlineTag {
    Text,
    Code,
    Strong,
    Emph,
    Link,
    Break,
    #[serde(other)]
    Unknown,
}

/// The keys of an [`Inline`]'s object; others are skipped.
#[derive(Deserialize)]
#[serde(field_identifier)]
enum InlineKey {
    #[serde(rename = "t")]
    Tag,
    #[serde(rename = "c")]
    Content,
    #[serde(other)]
    Other,
}

/// The content of a `Link` inline.
#[derive(Deserialize)]
struct LinkContent {
    url: String,
    children: Vec<Inline>,
}

/// The content (`c`) of an inline, in the shape it has: a string (`Text`, `Code`), a list of
/// inlines (`Strong`, `Emph`), a map (`Link`) or something else; checked against the tag
/// afterwards, since `t` may come after `c`. Read by hand: serde's `untagged` (3 KB) or a
/// `serde_json::Value` (5 KB) would cost more of the panel's gzip wasm than this module.
enum InlineContent {
    Text(String),
    Inlines(Vec<Inline>),
    Link(LinkContent),
    Other,
}

impl<'de> Deserialize<'de> for InlineContent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(InlineContentVisitor)
    }
}

struct InlineContentVisitor;

impl<'de> Visitor<'de> for InlineContentVisitor {
    type Value = InlineContent;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the content of an inline")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<InlineContent, E> {
        Ok(InlineContent::Text(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<InlineContent, E> {
        Ok(InlineContent::Text(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<InlineContent, A::Error> {
        let mut inlines = Vec::new();
        while let Some(inline) = seq.next_element()? {
            inlines.push(inline);
        }
        Ok(InlineContent::Inlines(inlines))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<InlineContent, A::Error> {
        let (mut url, mut children) = (None, None);
        while let Some(key) = map.next_key::<LinkKey>()? {
            match key {
                LinkKey::Url => url = Some(map.next_value()?),
                LinkKey::Children => children = Some(map.next_value()?),
                LinkKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(match (url, children) {
            (Some(url), Some(children)) => InlineContent::Link(LinkContent { url, children }),
            _ => InlineContent::Other,
        })
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<InlineContent, E> {
        Ok(InlineContent::Other)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<InlineContent, E> {
        Ok(InlineContent::Other)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<InlineContent, E> {
        Ok(InlineContent::Other)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<InlineContent, E> {
        Ok(InlineContent::Other)
    }

    fn visit_unit<E: de::Error>(self) -> Result<InlineContent, E> {
        Ok(InlineContent::Other)
    }
}

/// The keys of a `Link` inline's content.
#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "lowercase")]
enum LinkKey {
    Url,
    Children,
    #[serde(other)]
    Other,
}

impl InlineContent {
    /// The inline `tag` makes of this content, or `None` when the shapes disagree.
    fn into_inline(self, tag: InlineTag) -> Option<Inline> {
        Some(match (tag, self) {
            (InlineTag::Text, InlineContent::Text(t)) => Inline::Text(t),
            (InlineTag::Code, InlineContent::Text(t)) => Inline::Code(t),
            (InlineTag::Strong, InlineContent::Inlines(c)) => Inline::Strong(c),
            (InlineTag::Emph, InlineContent::Inlines(c)) => Inline::Emph(c),
            (InlineTag::Link, InlineContent::Link(c)) => Inline::Link {
                url: c.url,
                children: c.children,
            },
            (InlineTag::Break, _) => Inline::Break,
            (InlineTag::Unknown, _) => Inline::Unknown,
            _ => return None,
        })
    }
}

struct InlineVisitor;

impl<'de> Visitor<'de> for InlineVisitor {
    type Value = Inline;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an inline (`{\"t\": …, \"c\": …}`)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Inline, A::Error> {
        let mut tag = None;
        let mut content = None;
        while let Some(key) = map.next_key()? {
            match key {
                InlineKey::Tag => tag = Some(map.next_value::<InlineTag>()?),
                // A kind this build does not know may hold anything; when its tag came first
                // (as a pack writes it), its content is skipped whatever its shape.
                InlineKey::Content if matches!(tag, Some(InlineTag::Unknown)) => {
                    map.next_value::<IgnoredAny>()?;
                }
                InlineKey::Content => content = Some(map.next_value::<InlineContent>()?),
                InlineKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let tag = tag.ok_or_else(|| de::Error::missing_field("t"))?;
        match (content, tag) {
            (Some(c), t) => c.into_inline(t).ok_or_else(|| {
                de::Error::custom(format_args!(
                    "the content of a `{t:?}` inline has another shape"
                ))
            }),
            (None, InlineTag::Break) => Ok(Inline::Break),
            (None, InlineTag::Unknown) => Ok(Inline::Unknown),
            (None, _) => Err(de::Error::missing_field("c")),
        }
    }
}

impl<'de> Deserialize<'de> for Inline {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Inline, D::Error> {
        d.deserialize_struct("Inline", &["t", "c"], InlineVisitor)
    }
}
