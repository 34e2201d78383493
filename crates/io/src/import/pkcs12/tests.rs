//! Tests of the pkcs12 reader.

use super::*;

#[test]
fn structure_sniffing() {
    assert!(!is_pkcs12(b""));
    assert!(!is_pkcs12(&[0x30, 0x03, 0x02, 0x01, 0x01]));
    assert!(!is_pkcs12(b"-----BEGIN CERTIFICATE-----"));
    let minimal = [
        0x30, 0x10, 0x02, 0x01, 0x03, 0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
        0x01, 0x07, 0x01,
    ];
    assert!(is_pkcs12(&minimal));
    // Nothing in it is encrypted, so no password can be at fault: it is damaged.
    assert!(matches!(read(&minimal, None), Err(Problem::Damaged(_))));
    assert!(matches!(
        read(&minimal, Some("x")),
        Err(Problem::Damaged(_))
    ));
}

#[test]
fn integers_read_as_costs() {
    let int = |b: &'static [u8]| AnyRef::new(Tag::Integer, b).unwrap();
    assert_eq!(unsigned(&int(&[0x07, 0xd0])), Some(2000));
    assert_eq!(unsigned(&int(&[0x00, 0xff])), Some(255));
    assert_eq!(unsigned(&int(&[0xff])), None, "negative");
    assert_eq!(unsigned(&int(&[0x01; 12])), Some(u64::MAX), "saturates");
    let octets = AnyRef::new(Tag::OctetString, &[1]).unwrap();
    assert_eq!(unsigned(&octets), None);
}

#[test]
fn each_limit_has_its_sentence() {
    let refused = |w: Work| match check_work(&w) {
        Err(Problem::TooMuchWork(why)) => why,
        other => panic!("{other:?}"),
    };
    let windows = Work {
        derivations: 3,
        iterations: 10_000,
        largest_iterations: 2_000,
        ..Work::default()
    };
    assert_eq!(check_work(&windows), Ok(()));
    assert_eq!(
        refused(Work {
            largest_iterations: 2_000_000,
            ..windows.clone()
        }),
        "one of its key derivations asks for 2,000,000 iterations; the limit is 1,000,000 per derivation"
    );
    assert_eq!(
        refused(Work {
            derivations: 1_000,
            iterations: 1_000_000_000,
            largest_iterations: 1_000_000,
            ..Work::default()
        }),
        "its 1,000 key derivations add up to 1,000,000,000 iterations; the limit is 5,000,000 per file (an export from Windows or OpenSSL needs about 10,000)"
    );
    assert!(
        refused(Work {
            scrypt_memory: (1 << 30, 1 << 20, 8),
            ..windows.clone()
        })
        .starts_with("one of its scrypt key derivations needs 1,024 MiB of memory (N = 1,048,576, r = 8); the limit is 64 MiB")
    );
    assert!(
        refused(Work {
            scrypt_parallelism: 17,
            ..windows.clone()
        })
        .contains("p = 17; the limit is 16")
    );
    assert!(
        refused(Work {
            scrypt_cost: (1 << 22) + 1,
            ..windows.clone()
        })
        .contains("the limit is 4,194,304 per file")
    );
    assert_eq!(
        refused(Work {
            derivations: 65,
            ..windows
        }),
        "it asks for 65 key derivations; the limit is 64 per file"
    );
}
