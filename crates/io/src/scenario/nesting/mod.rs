//! A linear pre-scan of a scenario's YAML for nesting deeper than [`MAX_DEPTH`], run before
//! serde_yaml. Its scanner (libyaml's) rechecks every pending simple key, one per open flow
//! level, at every token: 200,000 `[` take minutes before its own depth limit fires.
//!
//! The pre-scan follows libyaml's own token rules (unsafe-libyaml's `scanner.rs`) for what
//! decides where brackets count: where quoted and plain scalars, comments, anchors, tags and
//! block scalars start and end, which characters break lines, and when an indentation level
//! opens (`roll_indent`) and closes (`unroll_indent`). It keeps only the flow level and the
//! stack of indentation levels and builds nothing, so it is linear in the text. Where libyaml
//! would stop with an error it just goes on: nothing after such a point is ever scanned.

/// The deepest nesting a scenario may have, in flow collections (`[`, `{`) or in block
/// levels (indentation); a real scenario needs about 5.
pub const MAX_DEPTH: usize = 64;

/// Where the nesting went past [`MAX_DEPTH`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TooDeep {
    /// Flow collections (`[`, `{`) nested too deep, at this line (from 1).
    Flow(usize),
    /// Block levels (indentation, `- ` entries) nested too deep, at this line (from 1).
    Indentation(usize),
}

impl TooDeep {
    /// The problem in one sentence.
    pub fn sentence(self) -> String {
        let (how, line) = match self {
            TooDeep::Flow(line) => ("in [ ] and { }", line),
            TooDeep::Indentation(line) => ("by indentation", line),
        };
        format!(
            "the scenario nests more than {MAX_DEPTH} levels deep ({how}, line {line}); relaycheck reads at most {MAX_DEPTH} levels (a scenario needs about 5)"
        )
    }
}

/// Checks the nesting of YAML text.
pub fn check(text: &str) -> Result<(), TooDeep> {
    // libyaml's reader stops at the first character it does not accept: nothing after it
    // is scanned.
    let end = text
        .char_indices()
        .find(|(_, c)| !printable(*c))
        .map_or(text.len(), |(i, _)| i);
    let mut scan = Scan {
        b: &text.as_bytes()[..end],
        pos: 0,
        index: 0,
        line: 0,
        column: 0,
        flow: 0,
        indent: -1,
        indents: Vec::new(),
        simple_key_allowed: true,
        key: None,
    };
    scan.run()
}

/// The characters libyaml's reader accepts.
fn printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// Where a possible simple key (a mapping key on one line) started.
#[derive(Debug, Clone, Copy)]
struct Mark {
    index: usize,
    line: usize,
    column: usize,
}

struct Scan<'a> {
    b: &'a [u8],
    pos: usize,
    /// Characters read (libyaml's `mark.index`).
    index: usize,
    line: usize,
    /// Characters since the line began.
    column: usize,
    flow: usize,
    /// libyaml's `parser.indent`: the column of the innermost block collection, -1 at the top.
    indent: isize,
    indents: Vec<isize>,
    simple_key_allowed: bool,
    /// The possible simple key of flow level 0 (the only level whose keys open
    /// indentation levels).
    key: Option<Mark>,
}

impl Scan<'_> {
    fn at(&self, k: usize) -> u8 {
        self.b.get(self.pos + k).copied().unwrap_or(0)
    }

    fn eof(&self) -> bool {
        self.pos >= self.b.len()
    }

    /// The length of the line break at `k` bytes ahead: CR, LF, CRLF, NEL, LS, PS.
    fn break_at(&self, k: usize) -> usize {
        match (self.at(k), self.at(k + 1), self.at(k + 2)) {
            (b'\r', b'\n', _) => 2,
            (b'\r' | b'\n', _, _) => 1,
            (0xc2, 0x85, _) => 2,
            (0xe2, 0x80, 0xa8 | 0xa9) => 3,
            _ => 0,
        }
    }

    fn blank_at(&self, k: usize) -> bool {
        matches!(self.at(k), b' ' | b'\t')
    }

    fn blankz_at(&self, k: usize) -> bool {
        self.blank_at(k) || self.break_at(k) > 0 || self.pos + k >= self.b.len()
    }

    /// One character (all its bytes).
    fn skip(&mut self) {
        self.pos += 1;
        while self.pos < self.b.len() && self.b[self.pos] & 0xc0 == 0x80 {
            self.pos += 1;
        }
        self.index += 1;
        self.column += 1;
    }

    fn skip_break(&mut self) {
        self.pos += self.break_at(0);
        self.index += 1;
        self.line += 1;
        self.column = 0;
    }

    fn document_indicator(&self) -> bool {
        self.column == 0
            && ((self.at(0) == b'-' && self.at(1) == b'-' && self.at(2) == b'-')
                || (self.at(0) == b'.' && self.at(1) == b'.' && self.at(2) == b'.'))
            && self.blankz_at(3)
    }

    fn roll(&mut self, column: usize) -> Result<(), TooDeep> {
        let column = column as isize;
        if self.flow == 0 && self.indent < column {
            self.indents.push(self.indent);
            self.indent = column;
            if self.indents.len() > MAX_DEPTH {
                return Err(TooDeep::Indentation(self.line + 1));
            }
        }
        Ok(())
    }

    fn unroll(&mut self, column: isize) {
        if self.flow > 0 {
            return;
        }
        while self.indent > column {
            self.indent = self.indents.pop().unwrap_or(-1);
        }
    }

    fn save_key(&mut self) {
        if self.simple_key_allowed && self.flow == 0 {
            self.key = Some(Mark {
                index: self.index,
                line: self.line,
                column: self.column,
            });
        }
    }

    /// libyaml's `remove_simple_key`, for flow level 0.
    fn remove_key(&mut self) {
        if self.flow == 0 {
            self.key = None;
        }
    }

    fn run(&mut self) -> Result<(), TooDeep> {
        loop {
            self.skip_to_next_token();
            if self.eof() {
                return Ok(());
            }
            // A simple key lives on one line and for at most 1024 characters.
            if self
                .key
                .is_some_and(|k| k.line < self.line || self.index > k.index + 1024)
            {
                self.key = None;
            }
            self.unroll(self.column as isize);
            let c = self.at(0);
            if self.column == 0 && c == b'%' {
                self.remove_key();
                self.simple_key_allowed = false;
                while !self.eof() && self.break_at(0) == 0 {
                    self.skip();
                }
                continue;
            }
            if self.document_indicator() {
                self.unroll(-1);
                self.remove_key();
                self.simple_key_allowed = false;
                for _ in 0..3 {
                    self.skip();
                }
                continue;
            }
            match c {
                b'[' | b'{' => {
                    self.save_key();
                    self.flow += 1;
                    if self.flow > MAX_DEPTH {
                        return Err(TooDeep::Flow(self.line + 1));
                    }
                    self.simple_key_allowed = true;
                    self.skip();
                }
                b']' | b'}' => {
                    self.remove_key();
                    self.flow = self.flow.saturating_sub(1);
                    self.simple_key_allowed = false;
                    self.skip();
                }
                b',' => {
                    self.remove_key();
                    self.simple_key_allowed = true;
                    self.skip();
                }
                b'-' if self.blankz_at(1) => {
                    self.roll(self.column)?;
                    self.remove_key();
                    self.simple_key_allowed = true;
                    self.skip();
                }
                b'?' if self.flow > 0 || self.blankz_at(1) => {
                    self.roll(self.column)?;
                    self.remove_key();
                    self.simple_key_allowed = self.flow == 0;
                    self.skip();
                }
                b':' if self.flow > 0 || self.blankz_at(1) => {
                    if self.flow == 0 {
                        let column = self.key.take().map_or(self.column, |k| k.column);
                        self.roll(column)?;
                    }
                    self.simple_key_allowed = self.flow == 0;
                    self.skip();
                }
                b'*' | b'&' => {
                    self.save_key();
                    self.simple_key_allowed = false;
                    self.skip();
                    while anchor_char(self.at(0)) {
                        self.skip();
                    }
                }
                b'!' => {
                    self.save_key();
                    self.simple_key_allowed = false;
                    self.tag();
                }
                b'|' | b'>' if self.flow == 0 => {
                    self.remove_key();
                    self.simple_key_allowed = true;
                    self.block_scalar();
                }
                b'\'' | b'"' => {
                    self.save_key();
                    self.simple_key_allowed = false;
                    self.quoted(c == b'\'');
                }
                _ if self.plain_starts() => {
                    self.save_key();
                    self.simple_key_allowed = false;
                    self.plain();
                }
                // libyaml stops here with "found character that cannot start any token".
                _ => self.skip(),
            }
        }
    }

    /// Blanks, comments and line breaks before the next token.
    fn skip_to_next_token(&mut self) {
        loop {
            if self.column == 0
                && self
                    .b
                    .get(self.pos..)
                    .is_some_and(|rest| rest.starts_with("\u{feff}".as_bytes()))
            {
                self.skip();
            }
            while self.at(0) == b' '
                || ((self.flow > 0 || !self.simple_key_allowed) && self.at(0) == b'\t')
            {
                self.skip();
            }
            if self.at(0) == b'#' {
                while !self.eof() && self.break_at(0) == 0 {
                    self.skip();
                }
            }
            if self.break_at(0) > 0 {
                self.skip_break();
                if self.flow == 0 {
                    self.simple_key_allowed = true;
                }
            } else {
                return;
            }
        }
    }

    fn plain_starts(&self) -> bool {
        let c = self.at(0);
        let indicator = b"-?:,[]{}#&*!|>'\"%@`".contains(&c);
        !(self.blankz_at(0) || indicator)
            || (c == b'-' && !self.blank_at(1))
            || (self.flow == 0 && matches!(c, b'?' | b':') && !self.blankz_at(1))
    }

    /// A plain scalar: to `: `, ` #`, a flow indicator in flow context, or a line less
    /// indented than the block it is in.
    fn plain(&mut self) {
        let indent = self.indent + 1;
        let mut leading_blanks = false;
        loop {
            if self.document_indicator() || self.at(0) == b'#' {
                break;
            }
            while !self.blankz_at(0) {
                let c = self.at(0);
                if (c == b':' && self.blankz_at(1))
                    || (self.flow > 0 && b",[]{}".contains(&c))
                    || (self.flow > 0 && c == b':' && b",?[]{}".contains(&self.at(1)))
                {
                    break;
                }
                // More of the scalar after a line break: it did not end there.
                leading_blanks = false;
                self.skip();
            }
            if !(self.blank_at(0) || self.break_at(0) > 0) {
                break;
            }
            while self.blank_at(0) || self.break_at(0) > 0 {
                if self.blank_at(0) {
                    self.skip();
                } else {
                    self.skip_break();
                    leading_blanks = true;
                }
            }
            if self.flow == 0 && (self.column as isize) < indent {
                break;
            }
        }
        if leading_blanks {
            self.simple_key_allowed = true;
        }
    }

    /// A single- or double-quoted scalar, across lines.
    fn quoted(&mut self, single: bool) {
        let quote = if single { b'\'' } else { b'"' };
        self.skip();
        while !self.eof() {
            let c = self.at(0);
            if single && c == b'\'' && self.at(1) == b'\'' {
                self.skip();
                self.skip();
            } else if c == quote {
                self.skip();
                return;
            } else if !single && c == b'\\' {
                self.skip();
                if self.break_at(0) > 0 {
                    self.skip_break();
                } else if !self.eof() {
                    self.skip();
                }
            } else if self.break_at(0) > 0 {
                self.skip_break();
            } else {
                self.skip();
            }
        }
    }

    /// `!<verbatim>`, or `!handle!suffix` / `!suffix`.
    fn tag(&mut self) {
        if self.at(1) == b'<' {
            self.skip();
            self.skip();
            while uri_char(self.at(0), true) {
                self.skip();
            }
            if self.at(0) == b'>' {
                self.skip();
            }
            return;
        }
        self.skip();
        while anchor_char(self.at(0)) {
            self.skip();
        }
        if self.at(0) == b'!' {
            self.skip();
        }
        while uri_char(self.at(0), false) {
            self.skip();
        }
    }

    /// `|` or `>`, its header, and the lines indented at least as far as its content.
    fn block_scalar(&mut self) {
        self.skip();
        let digit = |c: u8| (b'1'..=b'9').contains(&c).then(|| isize::from(c - b'0'));
        let mut increment = 0;
        if matches!(self.at(0), b'+' | b'-') {
            self.skip();
            if let Some(d) = digit(self.at(0)) {
                increment = d;
                self.skip();
            }
        } else if let Some(d) = digit(self.at(0)) {
            increment = d;
            self.skip();
            if matches!(self.at(0), b'+' | b'-') {
                self.skip();
            }
        }
        while self.blank_at(0) {
            self.skip();
        }
        if self.at(0) == b'#' {
            while !self.eof() && self.break_at(0) == 0 {
                self.skip();
            }
        }
        if self.break_at(0) == 0 {
            // libyaml stops: "did not find expected comment or line break".
            return;
        }
        self.skip_break();
        let mut indent = if increment > 0 {
            if self.indent >= 0 {
                self.indent + increment
            } else {
                increment
            }
        } else {
            0
        };
        if !self.block_breaks(&mut indent) {
            return;
        }
        while self.column as isize == indent && !self.eof() {
            while !self.eof() && self.break_at(0) == 0 {
                self.skip();
            }
            if self.eof() {
                return;
            }
            self.skip_break();
            if !self.block_breaks(&mut indent) {
                return;
            }
        }
    }

    /// The blank lines and indentation inside a block scalar; settles its indentation from
    /// the first line with content. `false` where libyaml stops (a tab in the indentation).
    fn block_breaks(&mut self, indent: &mut isize) -> bool {
        let mut max_indent: isize = 0;
        loop {
            while (*indent == 0 || (self.column as isize) < *indent) && self.at(0) == b' ' {
                self.skip();
            }
            max_indent = max_indent.max(self.column as isize);
            if (*indent == 0 || (self.column as isize) < *indent) && self.at(0) == b'\t' {
                return false;
            }
            if self.break_at(0) == 0 {
                break;
            }
            self.skip_break();
        }
        if *indent == 0 {
            *indent = max_indent.max(self.indent + 1).max(1);
        }
        true
    }
}

fn anchor_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-')
}

/// The characters of a tag's URI; `,`, `[` and `]` only in a verbatim tag.
fn uri_char(c: u8, verbatim: bool) -> bool {
    anchor_char(c)
        || b";/?:@&=+$.%!~*'()".contains(&c)
        || (verbatim && matches!(c, b',' | b'[' | b']'))
}

#[cfg(test)]
mod tests;
