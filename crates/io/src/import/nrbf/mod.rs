//! A reader for the .NET binary serialisation format (MS-NRBF), just enough to read the
//! fields Exchange hides in CliXml's `SerializationData` (`Services` of
//! `Get-ExchangeCertificate`). It builds no general object graph: it walks the records,
//! keeps the members of class records and resolves references on request. Every length is
//! checked against the bytes left, so damaged input ends in [`Refusal::Damaged`], never a
//! panic or a huge allocation.
//!
//! The work is bounded whatever the stream declares: at most [`MAX_BYTES`] of stream,
//! [`MAX_ELEMENTS`] class members and array items in all, [`MAX_RECORDS`] records nested at
//! most [`MAX_DEPTH`] deep; zero-width elements (the primitive type Null, which .NET never
//! writes in an array or a class) are refused, since a billion of them would take no bytes.
//! Class layouts are shared between the instances that use them (`Rc`), never copied. A
//! stream beyond a limit is [`Refusal::Limit`], which the caller reports.

use std::collections::HashMap;
use std::rc::Rc;

use relaycheck_core::text::group;

/// The longest stream read.
pub const MAX_BYTES: usize = 1024 * 1024;
/// Class members and array items of one stream, in all.
pub const MAX_ELEMENTS: usize = 100_000;
/// Records of one stream.
pub const MAX_RECORDS: usize = 100_000;
/// How deep records nest.
pub const MAX_DEPTH: usize = 64;

/// Why a stream was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not a stream, or damaged: nothing to report beyond "unreadable".
    Damaged,
    /// Beyond one of the limits: the sentence says which.
    Limit(String),
}

/// A member value, as far as relaycheck cares.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Int(i64),
    Bool(bool),
    Text(String),
    /// A class instance, by object id.
    Object(i32),
    /// A reference to an object written elsewhere in the stream.
    Reference(i32),
    Null,
    /// Anything else (floats, dates, arrays): present but not read.
    Other,
}

/// A class instance: its layout (shared with every instance of the class) and its member
/// values in the layout's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Object {
    layout: Rc<ClassLayout>,
    values: Vec<Value>,
}

/// The objects of one stream, by id, and the root's id.
#[derive(Debug, Default)]
pub struct Stream {
    pub root: i32,
    pub objects: HashMap<i32, Object>,
}

impl Stream {
    pub fn root(&self) -> Option<&Object> {
        self.objects.get(&self.root)
    }

    /// Follows a value to the object it names (inline or by reference).
    pub fn object(&self, value: &Value) -> Option<&Object> {
        match value {
            Value::Object(id) | Value::Reference(id) => self.objects.get(id),
            _ => None,
        }
    }

    /// The integer behind an enum member (`value__`), or the member itself when it is one.
    pub fn enum_value(&self, value: &Value) -> Option<i64> {
        match value {
            Value::Int(n) => Some(*n),
            other => self.object(other)?.member("value__").and_then(|v| match v {
                Value::Int(n) => Some(*n),
                _ => None,
            }),
        }
    }
}

impl Object {
    #[cfg(test)]
    pub fn class(&self) -> &str {
        &self.layout.class
    }

    pub fn member(&self, name: &str) -> Option<&Value> {
        let i = self.layout.names.iter().position(|n| n == name)?;
        self.values.get(i)
    }
}

/// How the members of a class are typed (MS-NRBF 2.3.1.2).
#[derive(Debug, Clone, PartialEq)]
struct ClassLayout {
    class: String,
    names: Vec<String>,
    /// `None` for untyped layouts (ClassWithMembers): every value is then a record.
    types: Option<Vec<MemberType>>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum MemberType {
    Primitive(u8),
    Record,
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    layouts: HashMap<i32, Rc<ClassLayout>>,
    stream: Stream,
    depth: usize,
    records: usize,
    /// Class members and array items still allowed.
    elements_left: usize,
    /// Set when a limit stopped the reading (every reader step then returns `None`).
    refusal: Option<String>,
}

/// The primitive type Null (PrimitiveTypeEnum 17): no bytes at all.
const PRIMITIVE_NULL: u8 = 17;

/// Parses a stream.
pub fn parse(bytes: &[u8]) -> Result<Stream, Refusal> {
    if bytes.len() > MAX_BYTES {
        return Err(Refusal::Limit(format!(
            "it is {} bytes; the limit is {} bytes",
            group(bytes.len() as u64),
            group(MAX_BYTES as u64)
        )));
    }
    let mut r = Reader {
        bytes,
        pos: 0,
        layouts: HashMap::new(),
        stream: Stream::default(),
        depth: 0,
        records: 0,
        elements_left: MAX_ELEMENTS,
        refusal: None,
    };
    match r.stream() {
        Some(()) => Ok(r.stream),
        None => Err(r.refusal.map_or(Refusal::Damaged, Refusal::Limit)),
    }
}

enum Record {
    Value(Value),
    /// ObjectNullMultiple: this many nulls in an array.
    Nulls(usize),
    End,
}

impl Reader<'_> {
    fn stream(&mut self) -> Option<()> {
        if self.u8()? != 0 {
            return None;
        }
        self.stream.root = self.i32()?;
        let _header_id = self.i32()?;
        let (major, minor) = (self.i32()?, self.i32()?);
        if (major, minor) != (1, 0) {
            return None;
        }
        loop {
            match self.record()? {
                Record::End => return Some(()),
                Record::Value(_) | Record::Nulls(_) => {}
            }
        }
    }

    /// Stops the reading with the limit's sentence.
    fn refuse<T>(&mut self, why: String) -> Option<T> {
        self.refusal.get_or_insert(why);
        None
    }

    /// Takes `n` class members or array items from the budget.
    fn elements(&mut self, n: usize) -> Option<()> {
        match self.elements_left.checked_sub(n) {
            Some(left) => {
                self.elements_left = left;
                Some(())
            }
            None => self.refuse(format!(
                "it declares more than {} class members and array items; the limit is {} per stream",
                group(MAX_ELEMENTS as u64),
                group(MAX_ELEMENTS as u64)
            )),
        }
    }

    fn zero_width<T>(&mut self) -> Option<T> {
        self.refuse(
            "it declares array items or class members of the primitive type Null, which take no bytes (.NET never writes them)"
                .to_string(),
        )
    }

    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let end = self.pos.checked_add(n)?;
        let out = self.bytes.get(self.pos..end)?;
        self.pos = end;
        Some(out)
    }

    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn i32(&mut self) -> Option<i32> {
        self.take(4)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map(i32::from_le_bytes)
    }

    fn count(&mut self) -> Option<usize> {
        let n = usize::try_from(self.i32()?).ok()?;
        // Every counted item takes at least one byte.
        (n <= self.bytes.len() - self.pos).then_some(n)
    }

    /// LengthPrefixedString: a 7-bit encoded length, then UTF-8.
    fn string(&mut self) -> Option<String> {
        let mut len: usize = 0;
        for shift in (0..35).step_by(7) {
            let b = self.u8()?;
            len |= usize::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                let bytes = self.take(len)?;
                return Some(String::from_utf8_lossy(bytes).into_owned());
            }
        }
        None
    }

    fn primitive(&mut self, kind: u8) -> Option<Value> {
        Some(match kind {
            1 => Value::Bool(self.u8()? != 0),
            2 => Value::Int(i64::from(self.u8()?)),
            10 => Value::Int(i64::from(self.u8()? as i8)),
            7 => Value::Int(i64::from(i16::from_le_bytes(
                self.take(2)?.try_into().ok()?,
            ))),
            14 => Value::Int(i64::from(u16::from_le_bytes(
                self.take(2)?.try_into().ok()?,
            ))),
            8 => Value::Int(i64::from(self.i32()?)),
            15 => Value::Int(i64::from(u32::from_le_bytes(
                self.take(4)?.try_into().ok()?,
            ))),
            9 => Value::Int(i64::from_le_bytes(self.take(8)?.try_into().ok()?)),
            16 => {
                let n = u64::from_le_bytes(self.take(8)?.try_into().ok()?);
                i64::try_from(n).map(Value::Int).unwrap_or(Value::Other)
            }
            11 => {
                self.take(4)?;
                Value::Other
            }
            6 | 12 | 13 => {
                self.take(8)?;
                Value::Other
            }
            3 => {
                // A UTF-8 character: 1 to 4 bytes, length from the first.
                let first = self.u8()?;
                let extra = match first {
                    0x00..=0x7f => 0,
                    0xc0..=0xdf => 1,
                    0xe0..=0xef => 2,
                    _ => 3,
                };
                self.take(extra)?;
                Value::Other
            }
            5 | 18 => Value::Text(self.string()?),
            17 => Value::Null,
            _ => return None,
        })
    }

    fn class_info(&mut self) -> Option<(i32, String, Vec<String>)> {
        let id = self.i32()?;
        let class = self.string()?;
        let n = self.count()?;
        let mut names = Vec::with_capacity(n);
        for _ in 0..n {
            names.push(self.string()?);
        }
        Some((id, class, names))
    }

    /// MemberTypeInfo: one BinaryTypeEnum per member, then the extra info some of them carry.
    fn member_types(&mut self, n: usize) -> Option<Vec<MemberType>> {
        let kinds = self.take(n)?.to_vec();
        let mut out = Vec::with_capacity(n);
        for kind in kinds {
            out.push(match kind {
                0 => match self.u8()? {
                    PRIMITIVE_NULL => return self.zero_width(),
                    p => MemberType::Primitive(p),
                },
                7 => {
                    self.u8()?;
                    MemberType::Record
                }
                3 => {
                    self.string()?;
                    MemberType::Record
                }
                4 => {
                    self.string()?;
                    self.i32()?;
                    MemberType::Record
                }
                1 | 2 | 5 | 6 => MemberType::Record,
                _ => return None,
            });
        }
        Some(out)
    }

    fn members(&mut self, id: i32, layout: Rc<ClassLayout>) -> Option<Value> {
        self.elements(layout.names.len())?;
        let mut values = Vec::with_capacity(layout.names.len());
        for i in 0..layout.names.len() {
            let kind = layout
                .types
                .as_ref()
                .and_then(|t| t.get(i).copied())
                .unwrap_or(MemberType::Record);
            let value = match kind {
                MemberType::Primitive(p) => self.primitive(p)?,
                MemberType::Record => match self.record()? {
                    Record::Value(v) => v,
                    Record::Nulls(_) | Record::End => return None,
                },
            };
            values.push(value);
        }
        self.stream.objects.insert(id, Object { layout, values });
        Some(Value::Object(id))
    }

    fn class_record(&mut self, typed: bool, library: bool) -> Option<Value> {
        let (id, class, names) = self.class_info()?;
        let types = if typed {
            Some(self.member_types(names.len())?)
        } else {
            None
        };
        if library {
            self.i32()?;
        }
        let layout = Rc::new(ClassLayout {
            class,
            names,
            types,
        });
        self.layouts.insert(id, Rc::clone(&layout));
        self.members(id, layout)
    }

    /// Array elements that are records, with runs of nulls.
    fn record_elements(&mut self, n: usize) -> Option<()> {
        let mut left = n;
        while left > 0 {
            match self.record()? {
                Record::Value(_) => left -= 1,
                Record::Nulls(k) => left = left.checked_sub(k)?,
                Record::End => return None,
            }
        }
        Some(())
    }

    fn record(&mut self) -> Option<Record> {
        self.records += 1;
        if self.records > MAX_RECORDS {
            return self.refuse(format!(
                "it holds more than {} records; the limit is {} per stream",
                group(MAX_RECORDS as u64),
                group(MAX_RECORDS as u64)
            ));
        }
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.refuse(format!(
                "its records nest more than {MAX_DEPTH} deep; the limit is {MAX_DEPTH}"
            ));
        }
        let out = self.record_inner();
        self.depth -= 1;
        out
    }

    fn record_inner(&mut self) -> Option<Record> {
        let mut kind = self.u8()?;
        // Library records precede the records that use them.
        while kind == 12 {
            self.i32()?;
            self.string()?;
            kind = self.u8()?;
        }
        let value = match kind {
            // ClassWithId: a new instance of a layout already seen.
            1 => {
                let id = self.i32()?;
                let metadata = self.i32()?;
                let layout = Rc::clone(self.layouts.get(&metadata)?);
                self.members(id, layout)?
            }
            2 => self.class_record(false, false)?,
            3 => self.class_record(false, true)?,
            4 => self.class_record(true, false)?,
            5 => self.class_record(true, true)?,
            6 => {
                self.i32()?;
                Value::Text(self.string()?)
            }
            7 => {
                // BinaryArray.
                self.i32()?;
                let shape = self.u8()?;
                let rank = self.count()?;
                let mut total: usize = 1;
                for _ in 0..rank {
                    total = total.checked_mul(self.count()?)?;
                }
                if matches!(shape, 3..=5) {
                    for _ in 0..rank {
                        self.i32()?;
                    }
                }
                let item = self.member_types(1)?;
                self.elements(total)?;
                match item.first()? {
                    MemberType::Primitive(p) => {
                        for _ in 0..total {
                            self.primitive(*p)?;
                        }
                    }
                    MemberType::Record => self.record_elements(total)?,
                }
                Value::Other
            }
            8 => match self.u8()? {
                PRIMITIVE_NULL => return None,
                p => self.primitive(p)?,
            },
            9 => Value::Reference(self.i32()?),
            10 => Value::Null,
            11 => return Some(Record::End),
            13 => return Some(Record::Nulls(usize::from(self.u8()?))),
            14 => return Some(Record::Nulls(self.count()?)),
            15 => {
                self.i32()?;
                let n = self.count()?;
                let p = self.u8()?;
                if p == PRIMITIVE_NULL {
                    return self.zero_width();
                }
                self.elements(n)?;
                let size = match p {
                    1 | 2 | 10 => Some(1),
                    7 | 14 => Some(2),
                    8 | 11 | 15 => Some(4),
                    6 | 9 | 12 | 13 | 16 => Some(8),
                    _ => None,
                };
                match size {
                    Some(s) => {
                        self.take(n.checked_mul(s)?)?;
                    }
                    None => {
                        for _ in 0..n {
                            self.primitive(p)?;
                        }
                    }
                }
                Value::Other
            }
            16 | 17 => {
                self.i32()?;
                let n = self.count()?;
                self.elements(n)?;
                self.record_elements(n)?;
                Value::Other
            }
            _ => return None,
        };
        Some(Record::Value(value))
    }
}

#[cfg(test)]
mod tests;
