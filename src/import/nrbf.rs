//! A reader for the .NET binary serialisation format (MS-NRBF), just enough to read the
//! fields Exchange hides in CliXml's `SerializationData` (`Services` of
//! `Get-ExchangeCertificate`). It builds no general object graph: it walks the records,
//! keeps the members of class records and resolves references on request. Every length is
//! checked against the bytes left, so hostile input ends in `None`, never a panic or a
//! huge allocation.

use std::collections::HashMap;

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

/// A class instance: its type name and its members in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Object {
    pub class: String,
    pub members: Vec<(String, Value)>,
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
    pub fn member(&self, name: &str) -> Option<&Value> {
        self.members.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }
}

/// How the members of a class are typed (MS-NRBF 2.3.1.2).
#[derive(Debug, Clone)]
struct ClassLayout {
    class: String,
    names: Vec<String>,
    /// `None` for untyped layouts (ClassWithMembers): every value is then a record.
    types: Option<Vec<MemberType>>,
}

#[derive(Debug, Clone, Copy)]
enum MemberType {
    Primitive(u8),
    Record,
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    layouts: HashMap<i32, ClassLayout>,
    stream: Stream,
    depth: usize,
}

const MAX_DEPTH: usize = 64;
const MAX_RECORDS: usize = 100_000;

/// Parses a stream; `None` when it is not one or is damaged.
pub fn parse(bytes: &[u8]) -> Option<Stream> {
    let mut r = Reader {
        bytes,
        pos: 0,
        layouts: HashMap::new(),
        stream: Stream::default(),
        depth: 0,
    };
    if r.u8()? != 0 {
        return None;
    }
    r.stream.root = r.i32()?;
    let _header_id = r.i32()?;
    let (major, minor) = (r.i32()?, r.i32()?);
    if (major, minor) != (1, 0) {
        return None;
    }
    for _ in 0..MAX_RECORDS {
        match r.record()? {
            Record::End => return Some(r.stream),
            Record::Value(_) | Record::Nulls(_) => {}
        }
    }
    None
}

enum Record {
    Value(Value),
    /// ObjectNullMultiple: this many nulls in an array.
    Nulls(usize),
    End,
}

impl Reader<'_> {
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
                0 => MemberType::Primitive(self.u8()?),
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

    fn members(&mut self, id: i32, layout: &ClassLayout) -> Option<Value> {
        let mut members = Vec::with_capacity(layout.names.len());
        for (i, name) in layout.names.iter().enumerate() {
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
            members.push((name.clone(), value));
        }
        self.stream.objects.insert(
            id,
            Object {
                class: layout.class.clone(),
                members,
            },
        );
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
        let layout = ClassLayout {
            class,
            names,
            types,
        };
        self.layouts.insert(id, layout.clone());
        self.members(id, &layout)
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
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
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
                let layout = self.layouts.get(&metadata)?.clone();
                self.members(id, &layout)?
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
            8 => {
                let p = self.u8()?;
                self.primitive(p)?
            }
            9 => Value::Reference(self.i32()?),
            10 => Value::Null,
            11 => return Some(Record::End),
            13 => return Some(Record::Nulls(usize::from(self.u8()?))),
            14 => return Some(Record::Nulls(self.count()?)),
            15 => {
                self.i32()?;
                let n = self.count()?;
                let p = self.u8()?;
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
                self.record_elements(n)?;
                Value::Other
            }
            _ => return None,
        };
        Some(Record::Value(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lps(s: &str) -> Vec<u8> {
        let mut v = vec![s.len() as u8];
        v.extend_from_slice(s.as_bytes());
        v
    }

    /// A stream with one class `C` whose member `E` is an enum object with `value__` = 27.
    fn sample() -> Vec<u8> {
        let mut b = vec![0];
        b.extend(1i32.to_le_bytes());
        b.extend((-1i32).to_le_bytes());
        b.extend(1i32.to_le_bytes());
        b.extend(0i32.to_le_bytes());
        b.push(12);
        b.extend(2i32.to_le_bytes());
        b.extend(lps("Lib"));
        // ClassWithMembersAndTypes C { bool B; E E; }
        b.push(5);
        b.extend(1i32.to_le_bytes());
        b.extend(lps("C"));
        b.extend(2i32.to_le_bytes());
        b.extend(lps("B"));
        b.extend(lps("E"));
        b.extend([0, 4]);
        b.push(1);
        b.extend(lps("En"));
        b.extend(2i32.to_le_bytes());
        b.extend(2i32.to_le_bytes());
        b.push(1);
        b.push(5);
        b.extend((-3i32).to_le_bytes());
        b.extend(lps("En"));
        b.extend(1i32.to_le_bytes());
        b.extend(lps("value__"));
        b.push(0);
        b.push(8);
        b.extend(2i32.to_le_bytes());
        b.extend(27i32.to_le_bytes());
        b.push(11);
        b
    }

    #[test]
    fn reads_an_enum_member() {
        let s = parse(&sample()).unwrap();
        let root = s.root().unwrap();
        assert_eq!(root.class, "C");
        assert_eq!(root.member("B"), Some(&Value::Bool(true)));
        assert_eq!(s.enum_value(root.member("E").unwrap()), Some(27));
    }

    #[test]
    fn truncated_and_garbage_streams_are_refused() {
        let full = sample();
        for n in 0..full.len() {
            assert!(parse(&full[..n]).is_none(), "prefix {n}");
        }
        assert!(parse(b"hello").is_none());
        assert!(parse(&[0, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f]).is_none());
    }
}
