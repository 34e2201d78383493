//! Tests of the nesting reader.

use super::*;

fn deep(open: &str, n: usize) -> String {
    open.repeat(n)
}

#[test]
fn flow_nesting_is_counted_and_capped() {
    assert_eq!(
        check(&format!("a: {}", deep("[", 200_000))),
        Err(TooDeep::Flow(1))
    );
    assert_eq!(
        check(&format!("a: {}", deep("{b: ", 65))),
        Err(TooDeep::Flow(1))
    );
    let ok = format!("a: {}1{}", deep("[", 64), deep("]", 64));
    assert_eq!(check(&ok), Ok(()));
    // Closed collections do not add up.
    let many = "a: [1]\n".repeat(1000);
    assert_eq!(check(&many), Ok(()));
    // Across lines.
    assert_eq!(check(&deep("[\n", 65)), Err(TooDeep::Flow(65)));
}

/// libyaml itself decides: 150 nested brackets that it reads as flow collections make
/// serde_yaml stop at its recursion limit (128); brackets it reads as text parse. The
/// pre-scan must agree on every case, look-alikes of quotes, comments and block scalars
/// included.
#[test]
fn agrees_with_libyaml_on_which_brackets_nest() {
    let b = format!("{}{}", "[".repeat(150), "]".repeat(150));
    let text_cases = [
        format!("a: \"{b}\"\n"),
        format!("a: '{b}'\n"),
        format!("a: 'it''s {b}'\n"),
        format!("a: \"\\\"{b}\"\n"),
        format!("a: \"multi\n  line {b}\"\n"),
        format!("a: \"\n{b}\"\n"),
        format!("# {b}\na: 1\n"),
        format!("a: 1 # {b}\n"),
        format!("a: x{b}\n"),
        format!("a: x\n  {b}\n"),
        format!("a: b\n  c\n  {b}\n"),
        format!("a: |\n  {b}\n  more\nb: 1\n"),
        format!("a: >-\n\n  {b}\n"),
        format!("a: |2\n   x\n  {b}\n"),
        format!("--- |\n {b}\n"),
        format!("a:\n- |\n {b}\n"),
        format!("a:\n - |\n  {b}\n"),
        format!("a: !<tag:{b}> x\n"),
        format!("a: !t '{b}'\n"),
        format!("? '{b}'\n: 1\n"),
        format!("a: {{\"k\":'{b}'}}\n"),
    ];
    let flow_cases = [
        format!("a: {b}\n"),
        format!("a: it's\nb: {b}\n"),
        format!("a: x 'y\nb: {b}\n"),
        format!("a: [x 'y, {b}]\n"),
        format!("a: [k:'v, {b}]\n"),
        format!("a: [k:'v', {b}]\n"),
        format!("a: x#y\nb: {b}\n"),
        format!("# note\u{2028}{b}\n"),
        format!("a: 1 # note\u{85}b: {b}\n"),
        format!("a: \"x\\\\\" \nb: {b}\n"),
        format!("a: 'x'''\nb: {b}\n"),
        format!("a: &x\t{b}\n"),
        format!("%YAML 1.1\n--- {b}\n"),
        format!("- - '{b}'\n  - {b}\n"),
        format!("a: >\n {b}\nb: {b}\n"),
    ];
    let libyaml = |text: &str| match serde_yaml::from_str::<serde_yaml::Value>(text) {
        Ok(_) => Ok(()),
        Err(e) => Err(e.to_string()),
    };
    for text in &text_cases {
        assert_eq!(libyaml(text), Ok(()), "libyaml: {text:?}");
        assert_eq!(check(text), Ok(()), "pre-scan: {text:?}");
    }
    for text in &flow_cases {
        let e = libyaml(text).unwrap_err();
        assert!(
            e.starts_with("recursion limit exceeded"),
            "libyaml: {text:?}: {e}"
        );
        assert!(
            matches!(check(text), Err(TooDeep::Flow(_))),
            "pre-scan: {text:?}"
        );
    }
}

/// Where libyaml's scanner reads brackets as flow collections but its parser then
/// stops with another error, the pre-scan refuses them too: nothing is let through.
#[test]
fn brackets_the_scanner_reads_are_counted_even_in_broken_files() {
    let bomb = "[".repeat(100);
    for text in [
        format!("a: |\n    text\n  {bomb}\n"),
        format!("a: |\n      \n  {bomb}\n"),
        format!("- a: |\n  {bomb}\n"),
        format!("a:\n - |\n {bomb}\n"),
        format!("a: x\n{bomb}\n"),
        format!("a: x\r{bomb}\n"),
        format!("a: [x\n'{bomb}']\n"),
    ] {
        assert!(
            matches!(check(&text), Err(TooDeep::Flow(_))),
            "not found: {text:?}"
        );
    }
}

#[test]
fn indentation_levels_are_counted_and_capped() {
    let mut nested = String::new();
    for i in 0..70 {
        nested.push_str(&" ".repeat(i));
        nested.push_str("k:\n");
    }
    assert_eq!(check(&nested), Err(TooDeep::Indentation(65)));
    let mut ok = String::new();
    for i in 0..64 {
        ok.push_str(&" ".repeat(i));
        ok.push_str("k:\n");
    }
    assert_eq!(check(&ok), Ok(()));
    let dashes = format!("{}x\n", "- ".repeat(70));
    assert_eq!(check(&dashes), Err(TooDeep::Indentation(1)));
    // Back out and in again: the depth is the stack, not the count of lines.
    let flat = "a:\n  b: 1\nc:\n  d: 1\n".repeat(1000);
    assert_eq!(check(&flat), Ok(()));
}

#[test]
fn a_real_scenario_is_shallow() {
    let text = "version: 1\ntenant:\n  accepted_domains:\n    - domain: contoso.com\n      verified: true\ninbound_connectors:\n  - name: \"Inbound from x\"\n    sender_ip_addresses: [203.0.113.0/24]\n    tls_sender_certificate_name: '*.contoso.com'\n";
    assert_eq!(check(text), Ok(()));
    assert_eq!(
        TooDeep::Flow(3).sentence(),
        "the scenario nests more than 64 levels deep (in [ ] and { }, line 3); relaycheck reads at most 64 levels (a scenario needs about 5)"
    );
}

#[test]
fn the_scan_stops_where_libyaml_stops_reading() {
    // A NUL: libyaml's reader refuses it, nothing after it is scanned.
    let text = format!("a: 1\0{}", deep("[", 100));
    assert_eq!(check(&text), Ok(()));
    let e = serde_yaml::from_str::<serde_yaml::Value>(&text).unwrap_err();
    assert!(
        e.to_string().contains("control characters are not allowed"),
        "{e}"
    );
}
