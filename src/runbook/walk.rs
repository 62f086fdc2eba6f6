//! The one depth-first walk over a section's block tree ([`walk_blocks`]) and over the inlines
//! of a block ([`walk_inlines`]): every reader of the tree (plain text, links, code spans, hints,
//! log queries, lint templates) iterates instead of writing its own recursion.
//!
//! The walks keep their own stack, so a deeply nested tree from a hostile pack cannot overflow
//! the call stack, and a flat list (the common case) is walked without allocating.

use std::slice;

use super::markdown::{Block, Inline};

/// Every block of `blocks` and of the lists and quotes inside them, in document order: a list
/// or quote comes before its contents, and the items of a list come in order.
pub fn walk_blocks(blocks: &[Block]) -> BlockWalk<'_> {
    BlockWalk {
        current: blocks.iter(),
        parents: Vec::new(),
    }
}

/// The iterator of [`walk_blocks`].
#[derive(Debug, Clone)]
pub struct BlockWalk<'a> {
    current: slice::Iter<'a, Block>,
    /// The siblings still to visit at each outer level, innermost last.
    parents: Vec<slice::Iter<'a, Block>>,
}

impl<'a> BlockWalk<'a> {
    /// Continues in `children` and comes back to the current siblings after them.
    fn descend(&mut self, children: &'a [Vec<Block>]) {
        let after = std::mem::replace(&mut self.current, [].iter());
        self.parents.push(after);
        // The last item is resumed last, so push the items in reverse.
        for child in children.iter().rev() {
            self.parents.push(child.iter());
        }
    }
}

impl<'a> Iterator for BlockWalk<'a> {
    type Item = &'a Block;

    fn next(&mut self) -> Option<&'a Block> {
        loop {
            if let Some(b) = self.current.next() {
                match b {
                    Block::List { items, .. } => self.descend(items),
                    Block::Quote { blocks } => self.descend(slice::from_ref(blocks)),
                    _ => {}
                }
                return Some(b);
            }
            self.current = self.parents.pop()?;
        }
    }
}

/// Every inline of `inlines` and of the emphasis, strong text and links inside them, in text
/// order: a container comes before its contents.
pub fn walk_inlines(inlines: &[Inline]) -> InlineWalk<'_> {
    InlineWalk {
        current: inlines.iter(),
        parents: Vec::new(),
    }
}

/// The iterator of [`walk_inlines`].
#[derive(Debug, Clone)]
pub struct InlineWalk<'a> {
    current: slice::Iter<'a, Inline>,
    parents: Vec<slice::Iter<'a, Inline>>,
}

impl<'a> Iterator for InlineWalk<'a> {
    type Item = &'a Inline;

    fn next(&mut self) -> Option<&'a Inline> {
        loop {
            if let Some(i) = self.current.next() {
                if let Inline::Strong(c) | Inline::Emph(c) | Inline::Link { children: c, .. } = i {
                    let after = std::mem::replace(&mut self.current, c.iter());
                    self.parents.push(after);
                }
                return Some(i);
            }
            self.current = self.parents.pop()?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(text: &str) -> Block {
        Block::Para {
            inlines: vec![Inline::Text(text.into())],
        }
    }

    fn text_of(b: &Block) -> String {
        match b {
            Block::Para { inlines } => crate::runbook::inline_text(inlines),
            Block::List { .. } => "list".into(),
            Block::Quote { .. } => "quote".into(),
            _ => "other".into(),
        }
    }

    #[test]
    fn blocks_come_in_document_order() {
        let tree = vec![
            para("a"),
            Block::List {
                ordered: false,
                start: 1,
                items: vec![
                    vec![
                        para("b"),
                        Block::Quote {
                            blocks: vec![para("c")],
                        },
                    ],
                    vec![],
                    vec![para("d")],
                ],
            },
            para("e"),
        ];
        let order: Vec<String> = walk_blocks(&tree).map(text_of).collect();
        assert_eq!(order, ["a", "list", "b", "quote", "c", "d", "e"]);
        assert_eq!(walk_blocks(&[]).count(), 0);
    }

    #[test]
    fn inlines_come_in_text_order() {
        let inlines = vec![
            Inline::Text("a".into()),
            Inline::Strong(vec![
                Inline::Code("b".into()),
                Inline::Emph(vec![Inline::Text("c".into())]),
            ]),
            Inline::Link {
                url: "u".into(),
                children: vec![Inline::Text("d".into())],
            },
            Inline::Break,
        ];
        let leaves: Vec<&str> = walk_inlines(&inlines)
            .filter_map(|i| match i {
                Inline::Text(t) | Inline::Code(t) => Some(t.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(leaves, ["a", "b", "c", "d"]);
        assert_eq!(walk_inlines(&inlines).count(), 8);
    }
}
