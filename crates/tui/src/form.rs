//! Forms: named fields, each a one-line text input with a cursor. A pre-filled value opens
//! selected, so the first key typed replaces it (as in a GUI dialog); an arrow key, Home or
//! End keeps it and moves the cursor instead.

use std::path::PathBuf;

/// The connector page's form fields, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Name,
    Enabled,
    ConnectorType,
    Tscn,
    RequireTls,
    CloudServicesMailEnabled,
    SenderIps,
    OrganizationFqdn,
    OnPremisesIp,
}

impl Field {
    pub const ALL: [Field; 9] = [
        Field::Name,
        Field::Enabled,
        Field::ConnectorType,
        Field::Tscn,
        Field::RequireTls,
        Field::CloudServicesMailEnabled,
        Field::SenderIps,
        Field::OrganizationFqdn,
        Field::OnPremisesIp,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Field::Name => "Name",
            Field::Enabled => "Enabled",
            Field::ConnectorType => "ConnectorType",
            Field::Tscn => "TlsSenderCertificateName",
            Field::RequireTls => "RequireTls",
            Field::CloudServicesMailEnabled => "CloudServicesMailEnabled",
            Field::SenderIps => "SenderIPAddresses",
            Field::OrganizationFqdn => "Organization FQDN",
            Field::OnPremisesIp => "On-premises IP",
        }
    }

    /// Fields that are typed (the others toggle or cycle on Enter).
    pub fn is_text(self) -> bool {
        matches!(
            self,
            Field::Name
                | Field::Tscn
                | Field::SenderIps
                | Field::OrganizationFqdn
                | Field::OnPremisesIp
        )
    }

    /// Fields of the inbound connector itself (the last two belong to on-premises).
    pub fn needs_connector(self) -> bool {
        !matches!(self, Field::OrganizationFqdn | Field::OnPremisesIp)
    }
}

/// Which field of a form a value belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldId {
    Path,
    File,
    Password,
    Domain,
    Verified,
    Cn,
    Sans,
    ValidFrom,
    ValidUntil,
    Issuer,
    KeyType,
    Name,
    MailFrom,
    RcptTo,
    /// The value of a connector page field.
    Value,
}

/// What a form is for, so that submitting it knows what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormPurpose {
    AddDomain,
    AddCertificate,
    GenerateCertificate,
    AddMessage,
    EditMessage(usize),
    /// A lesson's message whose envelope sender the learner may change (and nothing else).
    EditSender(usize),
    EditField(Field),
    SaveScenario,
    SaveReport,
    Password(PathBuf),
}

impl FormPurpose {
    /// Forms whose value is a path, which Tab completes.
    pub fn is_path(&self) -> bool {
        matches!(
            self,
            FormPurpose::AddCertificate | FormPurpose::SaveScenario | FormPurpose::SaveReport
        )
    }
}

/// The most characters a text field holds (typed or pasted): far more than any DNS name,
/// address list or path needs, and small enough that every edit stays cheap.
pub const MAX_CHARS: usize = 4096;

/// A one-line text input.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TextInput {
    value: String,
    /// In characters, 0..=len.
    cursor: usize,
    /// The whole value is selected: typing replaces it, Backspace clears it.
    selected: bool,
    /// Counts changes of the value, so that callers can tell a change without copying it
    /// (a password must not be copied around).
    revision: u64,
}

impl TextInput {
    pub fn new(value: &str) -> Self {
        TextInput {
            value: value.to_string(),
            cursor: value.chars().count(),
            selected: !value.is_empty(),
            revision: 0,
        }
    }

    pub fn revision(&self) -> u64 {
        self.revision
    }

    pub fn value(&self) -> &str {
        &self.value
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn is_selected(&self) -> bool {
        self.selected
    }

    fn byte(&self, chars: usize) -> usize {
        self.value
            .char_indices()
            .nth(chars)
            .map_or(self.value.len(), |(i, _)| i)
    }

    fn take_selection(&mut self) -> bool {
        if self.selected {
            self.selected = false;
            self.revision += 1;
            self.value.clear();
            self.cursor = 0;
            true
        } else {
            false
        }
    }

    /// Types one character at the cursor; `false` (nothing changes) when the field is full.
    pub fn insert(&mut self, c: char) -> bool {
        self.take_selection();
        if self.value.chars().count() >= MAX_CHARS {
            return false;
        }
        let at = self.byte(self.cursor);
        self.value.insert(at, c);
        self.cursor += 1;
        self.revision += 1;
        true
    }

    /// A paste as one edit: the text at the cursor (replacing a selected value), line breaks
    /// and tabs as spaces, other control characters dropped, cut to [`MAX_CHARS`]. Returns
    /// how many characters did not fit.
    pub fn paste(&mut self, text: &str) -> usize {
        if self.selected {
            self.selected = false;
            self.value.clear();
            self.cursor = 0;
        }
        let room = MAX_CHARS.saturating_sub(self.value.chars().count());
        let text = text.replace("\r\n", " ");
        let mut clean = text.chars().filter_map(|c| match c {
            '\r' | '\n' | '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        });
        let kept: String = clean.by_ref().take(room).collect();
        let cut = clean.count();
        let at = self.byte(self.cursor);
        self.value.insert_str(at, &kept);
        self.cursor += kept.chars().count();
        self.revision += 1;
        cut
    }

    pub fn backspace(&mut self) {
        if self.take_selection() || self.cursor == 0 {
            return;
        }
        let at = self.byte(self.cursor - 1);
        self.value.remove(at);
        self.cursor -= 1;
        self.revision += 1;
    }

    pub fn delete(&mut self) {
        if self.take_selection() || self.cursor >= self.value.chars().count() {
            return;
        }
        let at = self.byte(self.cursor);
        self.value.remove(at);
        self.revision += 1;
    }

    pub fn clear(&mut self) {
        self.value.clear();
        self.cursor = 0;
        self.selected = false;
        self.revision += 1;
    }

    pub fn left(&mut self) {
        self.selected = false;
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.selected = false;
        self.cursor = (self.cursor + 1).min(self.value.chars().count());
    }

    pub fn home(&mut self) {
        self.selected = false;
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.selected = false;
        self.cursor = self.value.chars().count();
    }

    /// Replaces the value (a path completion); the cursor goes to the end.
    pub fn set(&mut self, mut value: String) {
        if let Some((at, _)) = value.char_indices().nth(MAX_CHARS) {
            value.truncate(at);
        }
        self.cursor = value.chars().count();
        self.value = value;
        self.selected = false;
        self.revision += 1;
    }

    /// Selects a pre-filled value again (when the field gets the focus).
    pub fn select_all(&mut self) {
        self.selected = !self.value.is_empty();
        self.cursor = self.value.chars().count();
    }

    /// Wipes the value from memory (passwords).
    pub fn zeroize(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.value);
        self.cursor = 0;
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormField {
    pub id: FieldId,
    pub label: &'static str,
    pub input: TextInput,
    /// A mask for secrets: the value is never drawn.
    pub secret: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub title: String,
    pub purpose: FormPurpose,
    pub fields: Vec<FormField>,
    pub focus: usize,
    /// A live verdict on the input (e.g. TlsSenderCertificateName syntax), or an error.
    pub note: Option<(bool, String)>,
    /// Path completions offered by Tab.
    pub completions: Vec<String>,
}

impl Form {
    pub fn new(
        title: impl Into<String>,
        purpose: FormPurpose,
        fields: &[(FieldId, &'static str, &str)],
    ) -> Self {
        Form {
            title: title.into(),
            purpose,
            fields: fields
                .iter()
                .map(|(id, label, value)| FormField {
                    id: *id,
                    label,
                    input: TextInput::new(value),
                    secret: false,
                })
                .collect(),
            focus: 0,
            note: None,
            completions: Vec::new(),
        }
    }

    /// The value of a field (empty when the form has no such field).
    pub fn value(&self, id: FieldId) -> &str {
        self.fields
            .iter()
            .find(|f| f.id == id)
            .map_or("", |f| f.input.value())
    }

    pub fn focused(&mut self) -> Option<&mut TextInput> {
        self.fields.get_mut(self.focus).map(|f| &mut f.input)
    }

    /// Which field has the focus and how often it changed (a change, without a copy).
    pub fn stamp(&self) -> (usize, u64) {
        (
            self.focus,
            self.fields
                .get(self.focus)
                .map_or(0, |f| f.input.revision()),
        )
    }

    pub fn focused_value(&self) -> &str {
        self.fields.get(self.focus).map_or("", |f| f.input.value())
    }

    /// Moves the focus by `delta` fields (wrapping) and selects the new field's value.
    pub fn move_focus(&mut self, delta: isize) {
        let n = self.fields.len().max(1) as isize;
        self.focus = (self.focus as isize + delta).rem_euclid(n) as usize;
        if let Some(f) = self.focused() {
            f.select_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pre_filled_value_is_replaced_by_the_first_key() {
        let mut t = TextInput::new("mail.contoso.com");
        for c in "smtp.contoso.com".chars() {
            t.insert(c);
        }
        assert_eq!(t.value(), "smtp.contoso.com");
    }

    #[test]
    fn an_arrow_keeps_the_value_and_edits_at_the_cursor() {
        let mut t = TextInput::new("contoso.com");
        t.home();
        for c in "*.".chars() {
            t.insert(c);
        }
        assert_eq!(t.value(), "*.contoso.com");
        t.end();
        t.backspace();
        assert_eq!(t.value(), "*.contoso.co");
        t.left();
        t.delete();
        assert_eq!(t.value(), "*.contoso.c");
        let mut s = TextInput::new("x.com");
        s.backspace();
        assert_eq!(s.value(), "", "Backspace on a selected value clears it");
    }

    #[test]
    fn a_field_holds_at_most_max_chars_typed_or_pasted() {
        let mut t = TextInput::new("");
        assert_eq!(t.paste(&"é".repeat(MAX_CHARS + 10)), 10);
        assert_eq!(t.value().chars().count(), MAX_CHARS);
        assert!(!t.insert('x'), "a full field takes no more");
        assert_eq!(t.value().chars().count(), MAX_CHARS);
        t.backspace();
        assert!(t.insert('x'));
        let mut s = TextInput::new("old");
        assert_eq!(s.paste("a\tb\r\nc\u{1b}d"), 0);
        assert_eq!(s.value(), "a b cd", "a paste replaces a selected value");
        s.home();
        s.paste("<");
        assert_eq!((s.value(), s.cursor()), ("<a b cd", 1));
    }

    #[test]
    fn multibyte_characters_are_edited_whole() {
        let mut t = TextInput::new("");
        t.insert('é');
        t.insert('ü');
        t.left();
        t.backspace();
        assert_eq!(t.value(), "ü");
    }
}
