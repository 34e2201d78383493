//! PowerShell's tokenizer, as far as the lines relaycheck writes need it: one copy for the
//! tests (`tests/support/ps.rs`) and the `ps_quote` fuzz target, both through `#[path]`.
//!
//! It follows PowerShell's own source (PowerShell/PowerShell,
//! `src/System.Management.Automation/engine/parser/tokenizer.cs`: `NextToken`,
//! `ScanStringLiteral`, `ScanStringExpandable`, `ScanDollarInStringExpandable`,
//! `ScanSubExpression`, `ScanGenericToken`, `ScanParameter`, `ScanLineComment`, `Backtick`;
//! and `CharTraits.cs`: `SpecialChars`, `IsSingleQuote`, `IsDoubleQuote`, `IsDash`,
//! `IsWhitespace`, `ForceStartNewToken`, `IsVariableStart`), in command mode throughout:
//! five single quotes, four double quotes, doubled quotes as escapes, backtick escapes,
//! `$(…)` and `$name` inside double quotes, `;`, `|`, `&`, `#` comments to the end of the
//! line (CR or LF only), `<# … #>`, here-strings, the four dashes as parameter prefixes.
//! What it does not model (numbers, operators of expression mode, type literals) never
//! decides where a quoted value ends. Std only: the fuzz crate includes it as it is.

/// What a token is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// `'…'` (any of the five single quotes): the value is taken as it is.
    Verbatim,
    /// `"…"` (any of the four double quotes); `expands` in [`Token`] says whether it holds a
    /// `$name` or `$(…)` that PowerShell evaluates.
    Expandable,
    /// `@'…'@` or `@"…"@`.
    HereString,
    /// A bare word: a command name or an argument (quotes inside it join it).
    Generic,
    /// `-Name` (or `–Name`, `—Name`, `―Name`): the value is the name without the dash.
    Parameter,
    /// `$name`, `${name}`, `@name` outside quotes.
    Variable,
    /// `# …` or `<# … #>`.
    Comment,
    NewLine,
    /// A backtick at the end of a line.
    LineContinuation,
    /// `;`, `|`, `||`, `&`, `&&`, `,`, `(`, `)`, `{`, `}`, `$(`, `@(`, `@{`, `=`, `>`, `<`, `--`.
    Operator,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    /// The source text of the token.
    pub text: String,
    /// What PowerShell makes of it: a string's value after unquoting and escapes, a
    /// parameter's name, an operator's text.
    pub value: String,
    /// It holds a variable or a subexpression that PowerShell evaluates.
    pub expands: bool,
}

impl Token {
    /// A string PowerShell takes as it is: quoted, and nothing in it is evaluated.
    pub fn is_literal_string(&self) -> bool {
        matches!(
            self.kind,
            Kind::Verbatim | Kind::Expandable | Kind::HereString
        ) && !self.expands
    }
}

/// `IsSingleQuote`: `'`, U+2018, U+2019, U+201A, U+201B.
pub fn is_single_quote(c: char) -> bool {
    matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}')
}

/// `IsDoubleQuote`: `"`, U+201C, U+201D, U+201E.
pub fn is_double_quote(c: char) -> bool {
    matches!(c, '"' | '\u{201C}' | '\u{201D}' | '\u{201E}')
}

/// `IsDash`: `-`, U+2013, U+2014, U+2015.
pub fn is_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2013}' | '\u{2014}' | '\u{2015}')
}

/// What ends a line for the tokenizer (and a `#` comment): CR and LF, nothing else.
pub fn is_newline(c: char) -> bool {
    matches!(c, '\r' | '\n')
}

/// `IsWhitespace`: space, tab, VT, FF, NBSP, NEL, and above U+0100 `char.IsSeparator`
/// (Unicode Zs, Zl, Zp). Newlines are not whitespace.
pub fn is_whitespace(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\u{b}' | '\u{c}' | '\u{a0}' | '\u{85}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

/// `ForceStartNewToken`: what ends a bare word.
fn ends_word(c: char) -> bool {
    matches!(
        c,
        '\0' | '\r' | '\n' | '&' | '(' | ')' | ',' | ';' | '{' | '|' | '}'
    ) || is_whitespace(c)
}

/// `IsVariableStart`.
fn is_variable_start(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || matches!(c, '$' | ':' | '?' | '^' | '_')
    } else {
        c.is_alphanumeric()
    }
}

struct Scanner {
    s: Vec<char>,
    i: usize,
}

impl Scanner {
    fn peek(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }

    fn peek_at(&self, k: usize) -> Option<char> {
        self.s.get(self.i + k).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.i += 1;
        }
        c
    }

    fn text(&self, from: usize) -> String {
        self.s[from..self.i].iter().collect()
    }

    /// After the opening single quote: to the closing one; a doubled quote (any two of the
    /// five) is one, the second.
    fn verbatim(&mut self, value: &mut String) -> Result<(), String> {
        loop {
            let c = self.next().ok_or("a single-quoted string has no end")?;
            if is_single_quote(c) {
                match self.peek() {
                    Some(d) if is_single_quote(d) => {
                        self.i += 1;
                        value.push(d);
                    }
                    _ => return Ok(()),
                }
            } else {
                value.push(c);
            }
        }
    }

    /// After the opening double quote: to the closing one. `true` when something in it is
    /// evaluated.
    fn expandable(&mut self, value: &mut String) -> Result<bool, String> {
        let mut expands = false;
        loop {
            let c = self.next().ok_or("a double-quoted string has no end")?;
            if is_double_quote(c) {
                match self.peek() {
                    Some(d) if is_double_quote(d) => {
                        self.i += 1;
                        value.push(d);
                    }
                    _ => return Ok(expands),
                }
            } else if c == '$' && self.dollar_in_string(value, false)? {
                expands = true;
            } else if c == '`' {
                match self.next() {
                    Some(e) => self.backtick(e, value)?,
                    None => value.push('`'),
                }
            } else {
                value.push(c);
            }
        }
    }

    /// After a `$` in a string or a bare word: a subexpression or a variable (its source
    /// text goes into `value`), or `false` when the `$` is only a character.
    fn dollar_in_string(&mut self, value: &mut String, here: bool) -> Result<bool, String> {
        let start = self.i - 1;
        match self.peek() {
            Some('(') => {
                self.i += 1;
                self.subexpression(here)?;
            }
            Some('{') => {
                self.i += 1;
                self.braced_variable(true)?;
            }
            Some(c) if is_variable_start(c) => self.variable_name(),
            _ => return Ok(false),
        }
        value.push_str(&self.text(start));
        Ok(true)
    }

    /// `ScanSubExpression`: after `$(`, to the `)` that balances it, counting parentheses
    /// only (its content is tokenized later); a backtick or double quote before a double
    /// quote skips that one.
    fn subexpression(&mut self, here: bool) -> Result<(), String> {
        let mut depth = 1;
        while depth > 0 {
            let c = self.next().ok_or("a $( subexpression has no end")?;
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                c if (c == '`' || is_double_quote(c))
                    && !here
                    && self.peek().is_some_and(is_double_quote) =>
                {
                    self.i += 1;
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// After `${`: to the `}`.
    fn braced_variable(&mut self, in_string: bool) -> Result<(), String> {
        loop {
            match self.next().ok_or("a ${ variable has no end")? {
                '}' => return Ok(()),
                '`' => {
                    self.next();
                }
                c if in_string
                    && is_double_quote(c)
                    && self.peek().is_some_and(is_double_quote) =>
                {
                    self.i += 1;
                }
                _ => {}
            }
        }
    }

    /// A variable's name after `$`: letters, digits, `_`, `?`, `:` (a scope), or one of
    /// the special `$$`, `$^`, `$?`.
    fn variable_name(&mut self) {
        if let Some(c) = self.peek()
            && matches!(c, '$' | '^' | '?')
        {
            self.i += 1;
            return;
        }
        while let Some(c) = self.peek() {
            if c.is_alphanumeric() || c == '_' || c == '?' || c == ':' {
                self.i += 1;
            } else {
                break;
            }
        }
    }

    /// `Backtick`: the escaped character `e` (after the backtick) into `value`.
    fn backtick(&mut self, e: char, value: &mut String) -> Result<(), String> {
        let c = match e {
            '0' => '\0',
            'a' => '\u{7}',
            'b' => '\u{8}',
            'e' => '\u{1b}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'v' => '\u{b}',
            'u' => {
                if self.next() != Some('{') {
                    return Err("`u without {".into());
                }
                let mut hex = String::new();
                loop {
                    match self.next() {
                        Some('}') => break,
                        Some(h) if h.is_ascii_hexdigit() && hex.len() < 6 => hex.push(h),
                        _ => return Err("a bad `u{…} escape".into()),
                    }
                }
                u32::from_str_radix(&hex, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .ok_or("a bad `u{…} escape")?
            }
            other => other,
        };
        value.push(c);
        Ok(())
    }

    /// `ScanGenericToken`: a bare word from here on; quotes, backticks and `$` inside it
    /// join it.
    fn generic(&mut self, value: &mut String) -> Result<bool, String> {
        let mut expands = false;
        while let Some(c) = self.peek() {
            if ends_word(c) {
                break;
            }
            self.i += 1;
            if c == '`' {
                match self.next() {
                    Some(e) => self.backtick(e, value)?,
                    None => value.push('`'),
                }
            } else if is_single_quote(c) {
                self.verbatim(value)?;
            } else if is_double_quote(c) {
                expands |= self.expandable(value)?;
            } else if c == '$' && self.dollar_in_string(value, false)? {
                expands = true;
            } else {
                value.push(c);
            }
        }
        Ok(expands)
    }

    /// `@'` or `@"` (the quote is `q`): the rest of the line must be blank; the string ends
    /// at a line that starts with a quote of the same kind and `@`.
    fn here_string(&mut self, q: char, value: &mut String) -> Result<bool, String> {
        let same = |c: char| {
            if is_single_quote(q) {
                is_single_quote(c)
            } else {
                is_double_quote(c)
            }
        };
        while self.peek().is_some_and(is_whitespace) {
            self.i += 1;
        }
        match self.next() {
            Some('\r') => {
                if self.peek() == Some('\n') {
                    self.i += 1;
                }
            }
            Some('\n') => {}
            _ => return Err("a here-string's header must end its line".into()),
        }
        let mut expands = false;
        let mut line_start = true;
        loop {
            if line_start && self.peek().is_some_and(same) && self.peek_at(1) == Some('@') {
                self.i += 2;
                if value.ends_with('\n') {
                    value.pop();
                    if value.ends_with('\r') {
                        value.pop();
                    }
                }
                return Ok(expands);
            }
            let c = self.next().ok_or("a here-string has no end")?;
            line_start = is_newline(c);
            if !is_single_quote(q) && c == '$' && self.dollar_in_string(value, true)? {
                expands = true;
            } else if !is_single_quote(q) && c == '`' {
                match self.next() {
                    Some(e) => self.backtick(e, value)?,
                    None => value.push('`'),
                }
            } else {
                value.push(c);
            }
        }
    }

    /// `ScanParameter`: after the dash. A quote in the name makes the whole a bare word.
    fn parameter(&mut self, start: usize) -> Result<Token, String> {
        let mut name = String::new();
        while let Some(c) = self.peek() {
            if is_whitespace(c)
                || matches!(
                    c,
                    '{' | '}' | '(' | ')' | ';' | ',' | '|' | '&' | '.' | '[' | '\r' | '\n' | '\0'
                )
            {
                break;
            }
            if is_single_quote(c) || is_double_quote(c) {
                self.i = start + 1;
                let mut value = self.s[start].to_string();
                let expands = self.generic(&mut value)?;
                return Ok(self.token(Kind::Generic, start, value, expands));
            }
            self.i += 1;
            if c == ':' {
                break;
            }
            name.push(c);
        }
        Ok(self.token(Kind::Parameter, start, name, false))
    }

    fn token(&self, kind: Kind, start: usize, value: String, expands: bool) -> Token {
        Token {
            kind,
            text: self.text(start),
            value,
            expands,
        }
    }

    fn operator(&mut self, start: usize, len: usize) -> Token {
        self.i = start + len;
        let text = self.text(start);
        self.token(Kind::Operator, start, text, false)
    }

    fn next_token(&mut self) -> Result<Option<Token>, String> {
        while self.peek().is_some_and(is_whitespace) {
            self.i += 1;
        }
        let start = self.i;
        let Some(c) = self.next() else {
            return Ok(None);
        };
        let c1 = self.peek();
        let mut value = String::new();
        let token = match c {
            '\r' | '\n' => {
                if c == '\r' && c1 == Some('\n') {
                    self.i += 1;
                }
                self.token(Kind::NewLine, start, String::new(), false)
            }
            '#' => {
                while self.peek().is_some_and(|c| !is_newline(c)) {
                    self.i += 1;
                }
                let text = self.s[start + 1..self.i].iter().collect();
                self.token(Kind::Comment, start, text, false)
            }
            '<' if c1 == Some('#') => {
                self.i += 1;
                loop {
                    match self.next() {
                        Some('#') if self.peek() == Some('>') => {
                            self.i += 1;
                            break;
                        }
                        Some(_) => {}
                        None => return Err("a <# comment has no end".into()),
                    }
                }
                let text = self.text(start);
                self.token(Kind::Comment, start, text, false)
            }
            c if is_single_quote(c) => {
                self.verbatim(&mut value)?;
                self.token(Kind::Verbatim, start, value, false)
            }
            c if is_double_quote(c) => {
                let expands = self.expandable(&mut value)?;
                self.token(Kind::Expandable, start, value, expands)
            }
            '@' if c1.is_some_and(|q| is_single_quote(q) || is_double_quote(q)) => {
                self.i += 1;
                let expands = self.here_string(c1.unwrap_or('\''), &mut value)?;
                self.token(Kind::HereString, start, value, expands)
            }
            '@' if matches!(c1, Some('(' | '{')) => self.operator(start, 2),
            '@' if c1.is_some_and(is_variable_start) => {
                self.variable_name();
                let text = self.text(start);
                self.token(Kind::Variable, start, text, true)
            }
            '$' if c1 == Some('(') => self.operator(start, 2),
            '$' if c1 == Some('{') => {
                self.i += 1;
                self.braced_variable(false)?;
                let text = self.text(start);
                self.token(Kind::Variable, start, text, true)
            }
            '$' if c1.is_some_and(is_variable_start) => {
                self.variable_name();
                let text = self.text(start);
                self.token(Kind::Variable, start, text, true)
            }
            '`' => match c1 {
                Some('\r' | '\n') => {
                    self.i += 1;
                    if c1 == Some('\r') && self.peek() == Some('\n') {
                        self.i += 1;
                    }
                    self.token(Kind::LineContinuation, start, String::new(), false)
                }
                Some(w) if w.is_whitespace() => {
                    self.i += 1;
                    return self.next_token();
                }
                None => return Err("a backtick ends the input".into()),
                Some(e) => {
                    self.i += 1;
                    self.backtick(e, &mut value)?;
                    let expands = self.generic(&mut value)?;
                    self.token(Kind::Generic, start, value, expands)
                }
            },
            '|' | '&' if c1 == Some(c) => self.operator(start, 2),
            ';' | '|' | '&' | ',' | '(' | ')' | '{' | '}' | '=' | '>' | '<' => {
                self.operator(start, 1)
            }
            c if is_dash(c) && c1.is_some_and(is_dash) => self.operator(start, 2),
            c if is_dash(c) && c1.is_some_and(|n| n.is_alphabetic() || n == '_' || n == '?') => {
                self.parameter(start)?
            }
            c => {
                self.i = start;
                let _ = c;
                let expands = self.generic(&mut value)?;
                if self.i == start {
                    // A character that ends a word and starts nothing (NUL).
                    self.i += 1;
                    value.push(self.s[start]);
                }
                self.token(Kind::Generic, start, value, expands)
            }
        };
        Ok(Some(token))
    }
}

/// The tokens of `source` as PowerShell reads them, or why it cannot (a string, comment
/// or subexpression without its end).
pub fn tokenize(source: &str) -> Result<Vec<Token>, String> {
    let mut scanner = Scanner {
        s: source.chars().collect(),
        i: 0,
    };
    let mut out = Vec::new();
    while let Some(t) = scanner.next_token()? {
        out.push(t);
    }
    Ok(out)
}

/// The first token of `source`, whatever follows it (prose after a command included).
pub fn first_token(source: &str) -> Result<Option<Token>, String> {
    Scanner {
        s: source.chars().collect(),
        i: 0,
    }
    .next_token()
}

/// Why `line` (one generated command line) does not hold `value` as one literal string,
/// or `None` when it does: the line must tokenize; one token must be a quoted string that
/// PowerShell evaluates nothing in, with exactly `value` as its value; and nothing in the
/// line may end the command or start code (`;`, `|`, `&`, a comment, a newline, `$(`, a
/// string that expands).
pub fn value_problem(line: &str, value: &str) -> Option<String> {
    let tokens = match tokenize(line) {
        Ok(t) => t,
        Err(e) => return Some(format!("PowerShell cannot read it: {e}")),
    };
    for t in &tokens {
        let ends_or_runs = match t.kind {
            Kind::Comment | Kind::NewLine | Kind::LineContinuation => true,
            Kind::Operator => matches!(t.value.as_str(), ";" | "|" | "||" | "&" | "&&" | "$("),
            Kind::Variable => !matches!(t.value.as_str(), "$true" | "$false" | "$null"),
            _ => t.expands,
        };
        if ends_or_runs {
            return Some(format!("token {:?} ends the command or runs code", t.text));
        }
    }
    if tokens
        .iter()
        .any(|t| t.is_literal_string() && t.value == value)
    {
        None
    } else {
        Some(format!(
            "no quoted string token has the value {value:?}; tokens: {:?}",
            tokens.iter().map(|t| &t.text).collect::<Vec<_>>()
        ))
    }
}

/// Why `quoted` (what relaycheck wrote for one value) is not exactly one literal string
/// whose value is `value`, on one line; `None` when it is.
pub fn literal_problem(quoted: &str, value: &str) -> Option<String> {
    if quoted.contains(is_newline) {
        return Some(format!("{quoted:?} spans lines"));
    }
    match tokenize(quoted) {
        Ok(t) if t.len() == 1 && t[0].is_literal_string() && t[0].value == value => None,
        Ok(t) => Some(format!("{quoted:?} is not one literal {value:?}: {t:?}")),
        Err(e) => Some(format!("{quoted:?}: PowerShell cannot read it: {e}")),
    }
}
