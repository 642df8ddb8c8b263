//! Who is on the other end of a request. Behind a reverse proxy every connection comes
//! from the proxy, so the client is read from `X-Forwarded-For`, but only when the
//! connection comes from a proxy the configuration trusts (`trusted_proxies`); anyone else
//! could write that header. The rightmost address not of a trusted proxy is the client.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::{Extensions, HeaderMap};

use crate::config::AddressBlock;

/// The client of a request, as far as can be told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Client {
    /// Its address; `None` for a request that came through no socket (in-process).
    pub address: Option<IpAddr>,
    /// Whether the request names a forwarded client that was not believed (its connection
    /// does not come from a trusted proxy): it is then not taken for a local caller.
    pub unverified_forwarding: bool,
}

impl Client {
    /// The client of a request with these `extensions` and `headers`.
    pub fn of(extensions: &Extensions, headers: &HeaderMap, trusted: &[AddressBlock]) -> Self {
        let peer = extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(a)| a.ip());
        let forwarded = headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>();
        let names_another = !forwarded.is_empty() || headers.contains_key("forwarded");
        let is_trusted = |ip: IpAddr| trusted.iter().any(|block| block.contains(ip));
        match peer {
            Some(peer) if is_trusted(peer) && !forwarded.is_empty() => {
                let hops: Vec<IpAddr> = forwarded
                    .iter()
                    .flat_map(|v| v.split(','))
                    .filter_map(|hop| hop.trim().parse::<IpAddr>().ok())
                    .collect();
                let client = hops.iter().rev().find(|ip| !is_trusted(**ip)).or(hops.first()).copied();
                Self { address: Some(client.unwrap_or(peer)), unverified_forwarding: false }
            }
            Some(peer) => Self { address: Some(peer), unverified_forwarding: names_another && !is_trusted(peer) },
            None => Self { address: None, unverified_forwarding: false },
        }
    }

    /// The client's address alone: with no trusted proxy (the usual case), the peer's,
    /// without looking at any header.
    pub fn address_of(extensions: &Extensions, headers: &HeaderMap, trusted: &[AddressBlock]) -> Option<IpAddr> {
        if trusted.is_empty() {
            return extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(a)| a.ip());
        }
        Self::of(extensions, headers, trusted).address
    }

    /// Whether the client is this machine, believed.
    pub fn is_local(&self) -> bool {
        !self.unverified_forwarding && self.address.is_none_or(|a| a.is_loopback())
    }
}

/// A client's address as text, `-` when the request came through no socket; an IPv4
/// address is written into a buffer on the stack (the standard formatting costs ten times
/// as much, and every request writes its client's address).
#[derive(Debug)]
pub struct AddressText {
    text: [u8; 39],
    len: usize,
}

impl AddressText {
    pub fn of(address: Option<std::net::IpAddr>) -> Self {
        let mut out = Self { text: [0; 39], len: 0 };
        match address {
            Some(std::net::IpAddr::V4(address)) => {
                let mut digits = itoa::Buffer::new();
                for (i, octet) in address.octets().into_iter().enumerate() {
                    if i > 0 {
                        out.push(".");
                    }
                    out.push(digits.format(octet));
                }
            }
            Some(address) => out.push(&address.to_string()),
            None => out.push("-"),
        }
        out
    }

    fn push(&mut self, text: &str) {
        let end = (self.len + text.len()).min(self.text.len());
        self.text[self.len..end].copy_from_slice(&text.as_bytes()[..end - self.len]);
        self.len = end;
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.text[..self.len]).unwrap_or("-")
    }
}

#[cfg(test)]
mod address_tests {
    use super::AddressText;

    #[test]
    fn client_addresses_are_written_as_people_read_them() {
        assert_eq!(AddressText::of(Some([192, 0, 2, 17].into())).as_str(), "192.0.2.17");
        assert_eq!(AddressText::of(Some("2001:db8::1".parse().unwrap())).as_str(), "2001:db8::1");
        let longest: std::net::IpAddr = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff".parse().unwrap();
        assert_eq!(AddressText::of(Some(longest)).as_str(), longest.to_string());
        assert_eq!(AddressText::of(None).as_str(), "-");
    }
}

#[cfg(test)]
mod tests {
    use super::Client;
    use axum::extract::ConnectInfo;
    use axum::http::{Extensions, HeaderMap, HeaderValue};

    fn client(peer: [u8; 4], forwarded: Option<&str>, trusted: &[&str]) -> Client {
        let mut extensions = Extensions::new();
        extensions.insert(ConnectInfo(std::net::SocketAddr::from((peer, 1))));
        let mut headers = HeaderMap::new();
        if let Some(f) = forwarded {
            headers.insert("x-forwarded-for", HeaderValue::from_str(f).unwrap());
        }
        let trusted: Vec<_> = trusted.iter().map(|t| (*t).to_owned().try_into().unwrap()).collect();
        Client::of(&extensions, &headers, &trusted)
    }

    #[test]
    fn a_forwarded_client_is_believed_only_from_a_trusted_proxy() {
        let behind = client([127, 0, 0, 1], Some("198.51.100.7, 10.0.0.2"), &["127.0.0.1", "10.0.0.0/8"]);
        assert_eq!(behind.address, Some([198, 51, 100, 7].into()));
        assert!(!behind.is_local());
        let spoofed = client([127, 0, 0, 1], Some("127.0.0.1"), &[]);
        assert!(!spoofed.is_local(), "a proxy not declared trusted does not make its clients local");
        let forged = client([203, 0, 113, 5], Some("127.0.0.1"), &["127.0.0.1"]);
        assert_eq!(forged.address, Some([203, 0, 113, 5].into()), "anyone may write the header");
        assert!(client([127, 0, 0, 1], None, &[]).is_local());
    }
}
