//! Tests of the nrbf reader.

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
    assert_eq!(root.class(), "C");
    assert_eq!(root.member("B"), Some(&Value::Bool(true)));
    assert_eq!(s.enum_value(root.member("E").unwrap()), Some(27));
}

fn header() -> Vec<u8> {
    let mut b = vec![0];
    for n in [1i32, -1, 1, 0] {
        b.extend(n.to_le_bytes());
    }
    b
}

/// SystemClassWithMembersAndTypes `id` named `class` whose members are all of the
/// primitive type `primitive`, without their values.
fn typed_class(id: i32, class: &str, members: usize, primitive: u8) -> Vec<u8> {
    let mut b = vec![4];
    b.extend(id.to_le_bytes());
    b.extend(lps(class));
    b.extend((members as i32).to_le_bytes());
    for i in 0..members {
        b.extend(lps(&format!("m{i}")));
    }
    b.extend(std::iter::repeat_n(0, members));
    b.extend(std::iter::repeat_n(primitive, members));
    b
}

fn class_with_id(id: i32, layout: i32) -> Vec<u8> {
    let mut b = vec![1];
    b.extend(id.to_le_bytes());
    b.extend(layout.to_le_bytes());
    b
}

fn limit(bytes: &[u8]) -> String {
    match parse(bytes) {
        Err(Refusal::Limit(why)) => why,
        other => panic!("expected a limit, got {other:?}"),
    }
}

#[test]
fn instances_share_their_class_layout() {
    let mut b = header();
    b.extend(typed_class(1, "C", 3, 2));
    b.extend([1, 2, 3]);
    for id in 2..=4 {
        b.extend(class_with_id(id, 1));
        b.extend([4, 5, 6]);
    }
    b.push(11);
    let s = parse(&b).unwrap();
    let root = s.root().unwrap();
    assert_eq!(root.member("m2"), Some(&Value::Int(3)));
    for id in 2..=4 {
        let o = &s.objects[&id];
        assert!(Rc::ptr_eq(&o.layout, &root.layout), "object {id}");
        assert_eq!(o.member("m0"), Some(&Value::Int(4)));
    }
}

#[test]
fn zero_width_elements_are_refused() {
    let zero = "it declares array items or class members of the primitive type Null, which take no bytes (.NET never writes them)";
    // A BinaryArray of Null primitives, 200^7 of them, in a few dozen bytes.
    let mut b = header();
    b.push(7);
    b.extend(2i32.to_le_bytes());
    b.push(0);
    b.extend(7i32.to_le_bytes());
    for _ in 0..7 {
        b.extend(200i32.to_le_bytes());
    }
    b.extend([0, 17]);
    b.extend(vec![0; 200]);
    assert_eq!(limit(&b), zero);
    // A class of Null members, and ArraySinglePrimitive of Nulls.
    let mut b = header();
    b.extend(typed_class(1, "C", 1000, 17));
    assert_eq!(limit(&b), zero);
    let mut b = header();
    b.push(15);
    b.extend(2i32.to_le_bytes());
    b.extend(40i32.to_le_bytes());
    b.push(17);
    b.extend(vec![0; 40]);
    assert_eq!(limit(&b), zero);
}

#[test]
fn elements_records_depth_and_size_are_capped() {
    let elements = "it declares more than 100,000 class members and array items; the limit is 100,000 per stream";
    // 150 instances of a class of 1,000 one-byte members: 150,000 elements.
    let mut b = header();
    b.extend(typed_class(1, "C", 1000, 2));
    b.extend(vec![0; 1000]);
    for id in 2..=150 {
        b.extend(class_with_id(id, 1));
        b.extend(vec![0; 1000]);
    }
    b.push(11);
    assert_eq!(limit(&b), elements);
    // An array declaring 200^3 bytes.
    let mut b = header();
    b.push(7);
    b.extend(2i32.to_le_bytes());
    b.push(0);
    b.extend(3i32.to_le_bytes());
    for _ in 0..3 {
        b.extend(200i32.to_le_bytes());
    }
    b.extend([0, 2]);
    b.extend(vec![0; 300]);
    assert_eq!(limit(&b), elements);
    // Classes nested in classes, 65 deep.
    let mut b = header();
    for id in 1..=65i32 {
        b.push(2);
        b.extend(id.to_le_bytes());
        b.extend(lps("C"));
        b.extend(1i32.to_le_bytes());
        b.extend(lps("inner"));
    }
    b.extend([10, 11]);
    assert_eq!(
        limit(&b),
        "its records nest more than 64 deep; the limit is 64"
    );
    let mut big = header();
    big.resize(MAX_BYTES + 1, 0);
    assert_eq!(
        limit(&big),
        "it is 1,048,577 bytes; the limit is 1,048,576 bytes"
    );
}

#[test]
fn truncated_and_garbage_streams_are_refused() {
    let full = sample();
    for n in 0..full.len() {
        assert_eq!(
            parse(&full[..n]).err(),
            Some(Refusal::Damaged),
            "prefix {n}"
        );
    }
    assert_eq!(parse(b"hello").err(), Some(Refusal::Damaged));
    assert_eq!(
        parse(&[0, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f]).err(),
        Some(Refusal::Damaged)
    );
}
