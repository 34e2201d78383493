//! `SenderIPAddresses` entries of an inbound connector, as Exchange Online accepts them.
//!
//! New-InboundConnector, SenderIPAddresses: "Valid subnet mask values are /24 through /32",
//! "IPv6 addresses are not supported". The forms it takes are a single IPv4 address
//! (`203.0.113.10`), an IPv4 CIDR range from /24 to /32 (`203.0.113.0/24`) and an address
//! range (`203.0.113.10-203.0.113.20`, the form Exchange itself writes).
//!
//! An entry always loads and keeps its text: a scenario or a `Get-InboundConnector` export
//! with a bad entry is still read, the entry says what Exchange Online would object to
//! ([`IpRange::problem`]), and it never matches an address (docs/checks.md, `connector-ip-invalid`).

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use ipnet::{IpNet, Ipv4Net};

/// One SenderIPAddresses entry: its text, and what Exchange Online makes of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpRange {
    text: String,
    meaning: Result<Accepted, IpProblem>,
}

/// What Exchange Online would object to in a SenderIPAddresses entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum IpProblem {
    /// An IPv6 address or range.
    Ipv6,
    /// An IPv4 CIDR range wider than /24.
    PrefixTooShort,
    /// Not an IPv4 address, CIDR range or `a.b.c.d-a.b.c.e` range.
    Syntax,
    /// An `a.b.c.d-a.b.c.e` range whose last address comes before its first.
    RangeReversed,
}

impl IpProblem {
    /// The problem in the admin's words (the first two are Microsoft's own).
    pub fn sentence(&self) -> &'static str {
        match self {
            IpProblem::Ipv6 => "IPv6 addresses are not supported",
            IpProblem::PrefixTooShort => "Valid subnet mask values are /24 through /32",
            IpProblem::Syntax => {
                "not an IPv4 address, a CIDR range such as 203.0.113.0/24 or a range such as \
                 203.0.113.10-203.0.113.20"
            }
            IpProblem::RangeReversed => "the range ends before it starts",
        }
    }
}

impl fmt::Display for IpProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.sentence())
    }
}

/// The addresses an accepted entry stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Accepted {
    /// A single address is a /32.
    Network(Ipv4Net),
    Range {
        first: Ipv4Addr,
        last: Ipv4Addr,
    },
}

impl IpRange {
    /// Whether Exchange Online would match `ip` against this entry: never for an entry it
    /// does not accept, never for an IPv6 address.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let (Ok(accepted), IpAddr::V4(ip)) = (&self.meaning, ip) else {
            return false;
        };
        match accepted {
            Accepted::Network(net) => net.contains(&ip),
            Accepted::Range { first, last } => (*first..=*last).contains(&ip),
        }
    }

    /// Why Exchange Online would not accept this entry; `None` when it would.
    pub fn problem(&self) -> Option<IpProblem> {
        self.meaning.err()
    }
}

fn meaning(text: &str) -> Result<Accepted, IpProblem> {
    if let Some((first, last)) = text.split_once('-') {
        let first = ipv4(first)?;
        let last = ipv4(last)?;
        return if last < first {
            Err(IpProblem::RangeReversed)
        } else {
            Ok(Accepted::Range { first, last })
        };
    }
    if text.contains('/') {
        return match text.parse::<IpNet>() {
            Ok(IpNet::V4(net)) if net.prefix_len() < 24 => Err(IpProblem::PrefixTooShort),
            Ok(IpNet::V4(net)) => Ok(Accepted::Network(net)),
            Ok(IpNet::V6(_)) => Err(IpProblem::Ipv6),
            Err(_) => match text.split_once('/') {
                Some((addr, _)) if addr.parse::<Ipv6Addr>().is_ok() => Err(IpProblem::Ipv6),
                _ => Err(IpProblem::Syntax),
            },
        };
    }
    ipv4(text).map(|ip| Accepted::Network(Ipv4Net::from(ip)))
}

fn ipv4(text: &str) -> Result<Ipv4Addr, IpProblem> {
    match text.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => Ok(ip),
        Ok(IpAddr::V6(_)) => Err(IpProblem::Ipv6),
        Err(_) => Err(IpProblem::Syntax),
    }
}

impl FromStr for IpRange {
    type Err = String;
    /// Fails only for an empty or blank entry; any other text loads (see [`IpRange::problem`]).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        if text.is_empty() {
            return Err("a SenderIPAddresses entry cannot be empty".to_string());
        }
        Ok(IpRange {
            text: text.to_string(),
            meaning: meaning(text),
        })
    }
}

impl fmt::Display for IpRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl serde::Serialize for IpRange {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> serde::Deserialize<'de> for IpRange {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(text: &str) -> IpRange {
        text.parse()
            .unwrap_or_else(|e| panic!("{text:?} should load: {e}"))
    }

    fn ip(text: &str) -> IpAddr {
        text.parse()
            .unwrap_or_else(|e| panic!("{text:?} is a test address: {e}"))
    }

    #[test]
    fn accepted_forms_contain_exactly_their_addresses() {
        // (entry, addresses it contains, addresses it does not)
        let table: &[(&str, &[&str], &[&str])] = &[
            (
                "203.0.113.10",
                &["203.0.113.10"],
                &["203.0.113.11", "203.0.113.9", "::ffff:203.0.113.10"],
            ),
            (
                "203.0.113.0/24",
                &["203.0.113.0", "203.0.113.200", "203.0.113.255"],
                &["203.0.114.0", "203.0.112.255", "2001:db8::1"],
            ),
            (
                "203.0.113.0/28",
                &["203.0.113.0", "203.0.113.15"],
                &["203.0.113.16"],
            ),
            (
                "203.0.113.7/32",
                &["203.0.113.7"],
                &["203.0.113.6", "203.0.113.8"],
            ),
            (
                // Host bits after the prefix: the network is what counts.
                "203.0.113.77/24",
                &["203.0.113.1"],
                &["203.0.114.1"],
            ),
            (
                "203.0.113.10-203.0.113.20",
                &["203.0.113.10", "203.0.113.15", "203.0.113.20"],
                &["203.0.113.9", "203.0.113.21"],
            ),
            (
                "192.0.2.250-192.0.3.5",
                &["192.0.2.255", "192.0.3.0", "192.0.3.5"],
                &["192.0.2.249", "192.0.3.6"],
            ),
            (
                "203.0.113.5-203.0.113.5",
                &["203.0.113.5"],
                &["203.0.113.6"],
            ),
            ("  203.0.113.10 ", &["203.0.113.10"], &["203.0.113.11"]),
        ];
        for (text, inside, outside) in table {
            let e = entry(text);
            assert_eq!(e.problem(), None, "{text:?}");
            for a in *inside {
                assert!(e.contains(ip(a)), "{text:?} should contain {a}");
            }
            for a in *outside {
                assert!(!e.contains(ip(a)), "{text:?} should not contain {a}");
            }
        }
    }

    #[test]
    fn refused_entries_load_say_why_and_match_nothing() {
        use IpProblem::*;
        let table = [
            ("2001:db8::1", Ipv6),
            ("2001:db8::/32", Ipv6),
            ("::ffff:203.0.113.10", Ipv6),
            ("2001:db8::/200", Ipv6),
            ("203.0.113.1-2001:db8::1", Ipv6),
            ("203.0.113.0/23", PrefixTooShort),
            ("10.0.0.0/8", PrefixTooShort),
            ("0.0.0.0/0", PrefixTooShort),
            ("mail.contoso.com", Syntax),
            ("10.0.0.1/33", Syntax),
            ("10.0.0.1/x", Syntax),
            ("10.0.0.1/", Syntax),
            ("300.1.1.1", Syntax),
            ("203.0.113.010", Syntax),
            ("203.0.113", Syntax),
            ("203.0.113.10-", Syntax),
            ("-203.0.113.10", Syntax),
            ("203.0.113.10 - 203.0.113.20", Syntax),
            ("203.0.113.10-203.0.113.20-203.0.113.30", Syntax),
            ("203.0.113.0/24-203.0.113.255", Syntax),
            ("*", Syntax),
            ("203.0.113.20-203.0.113.10", RangeReversed),
            ("10.0.1.0-10.0.0.255", RangeReversed),
        ];
        let probes = [
            "203.0.113.10",
            "203.0.113.15",
            "203.0.113.0",
            "10.0.0.1",
            "10.0.1.0",
            "0.0.0.0",
            "2001:db8::1",
            "::ffff:203.0.113.10",
        ];
        for (text, problem) in table {
            let e = entry(text);
            assert_eq!(e.problem(), Some(problem), "{text:?}");
            assert_eq!(e.to_string(), text.trim(), "the text is kept");
            for p in probes {
                assert!(
                    !e.contains(ip(p)),
                    "{text:?} must match nothing, matched {p}"
                );
            }
        }
    }

    #[test]
    fn problems_are_said_in_the_admins_words() {
        assert_eq!(
            IpProblem::Ipv6.sentence(),
            "IPv6 addresses are not supported"
        );
        assert_eq!(
            IpProblem::PrefixTooShort.sentence(),
            "Valid subnet mask values are /24 through /32"
        );
        assert!(IpProblem::Syntax.sentence().contains("IPv4 address"));
        assert!(
            IpProblem::Syntax
                .sentence()
                .contains("203.0.113.10-203.0.113.20")
        );
        assert_eq!(
            IpProblem::RangeReversed.to_string(),
            IpProblem::RangeReversed.sentence()
        );
    }

    #[test]
    fn only_a_blank_entry_fails_to_load() {
        for blank in ["", "   ", "\t\n"] {
            assert!(blank.parse::<IpRange>().is_err(), "{blank:?}");
            assert!(serde_yaml::from_str::<IpRange>(&format!("{blank:?}")).is_err());
            assert!(serde_json::from_str::<IpRange>(&format!("{blank:?}")).is_err());
        }
        assert!(serde_json::from_str::<IpRange>("\"2001:db8::1\"").is_ok());
        assert!(serde_yaml::from_str::<IpRange>("10.0.0.0/8").is_ok());
    }

    #[test]
    fn serde_round_trip_keeps_the_text() {
        for text in [
            "203.0.113.10",
            "203.0.113.0/24",
            "203.0.113.10-203.0.113.20",
            "2001:db8::/32",
            "10.0.0.0/8",
            "mail.contoso.com",
            "203.0.113.20-203.0.113.10",
        ] {
            let e = entry(text);
            let yaml = serde_yaml::to_string(&vec![e.clone()]).expect("YAML");
            let back: Vec<IpRange> = serde_yaml::from_str(&yaml).expect("YAML back");
            assert_eq!(back, vec![e.clone()], "YAML {yaml:?}");
            assert_eq!(back[0].to_string(), text);
            let json = serde_json::to_string(&e).expect("JSON");
            assert_eq!(json, format!("\"{text}\""));
            let back: IpRange = serde_json::from_str(&json).expect("JSON back");
            assert_eq!(back, e);
            assert_eq!(back.problem(), e.problem());
        }
        // Surrounding blanks are not part of the entry.
        let padded: IpRange = serde_yaml::from_str("' 203.0.113.10 '").expect("YAML");
        assert_eq!(
            serde_yaml::to_string(&padded).expect("YAML"),
            "203.0.113.10\n"
        );
    }
}
