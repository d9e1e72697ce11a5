"""Reading OpenSSH public keys: checked, fingerprinted, and never a private key."""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from dataclasses import dataclass

from okrate_tui.core.errors import ValidationError
from okrate_tui.core.text import control_chars, echo

COMMENT_MAX = 200

ALGORITHMS = (
    "ssh-ed25519",
    "sk-ssh-ed25519@openssh.com",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ecdsa-sha2-nistp256@openssh.com",
    "ssh-rsa",
)
MIN_RSA_BITS = 2048


@dataclass(frozen=True)
class PublicKey:
    algorithm: str
    blob: str  # base64, as written in authorized_keys
    comment: str

    @property
    def fingerprint(self) -> str:
        """``SHA256:…`` exactly as ``ssh-keygen -l`` prints it."""
        digest = hashlib.sha256(base64.b64decode(self.blob)).digest()
        return "SHA256:" + base64.b64encode(digest).decode().rstrip("=")

    def line(self) -> str:
        return f"{self.algorithm} {self.blob}"


def _fail(message: str) -> ValidationError:
    return ValidationError.single("key", message)


def _strings(raw: bytes) -> list[bytes]:
    """The length-prefixed fields of an SSH wire-format blob."""
    out = []
    at = 0
    while at < len(raw):
        if at + 4 > len(raw):
            raise _fail("the key's data is cut short")
        (size,) = struct.unpack(">I", raw[at : at + 4])
        at += 4
        if at + size > len(raw):
            raise _fail("the key's data is cut short")
        out.append(raw[at : at + size])
        at += size
    return out


def parse(text: str) -> PublicKey:
    """One public key from the text of a ``.pub`` file (or one ``authorized_keys`` line
    without options). Raises :class:`ValidationError` with a plain reason."""
    if "PRIVATE KEY" in text:
        raise _fail("this is a private key; give the public one (the .pub file) and keep the private key secret")
    lines = [ln.strip() for ln in text.replace("\r", "").split("\n")]
    lines = [ln for ln in lines if ln and not ln.startswith("#")]
    if not lines:
        raise _fail("no public key given (expected a line like 'ssh-ed25519 AAAA… you@laptop')")
    if len(lines) > 1:
        raise _fail(f"{len(lines)} keys given; add one key at a time")
    words = lines[0].split(None, 2)
    if words[0] not in ALGORITHMS:
        if any(w in ALGORITHMS for w in words[1:2]) or "=" in words[0]:
            raise _fail("give the public key alone, without authorized_keys options such as command= or from=")
        if words[0] == "ssh-dss":
            raise _fail("DSA keys are no longer safe; use an ed25519 key (ssh-keygen -t ed25519)")
        raise _fail(f"'{echo(words[0], 40)}' is not a public key type okrate accepts ({', '.join(ALGORITHMS[:3])}, …)")
    if len(words) < 2:
        raise _fail("the key's data is missing after its type")
    algorithm, blob = words[0], words[1]
    comment = words[2].strip() if len(words) > 2 else ""
    try:
        raw = base64.b64decode(blob, validate=True)
    except (binascii.Error, ValueError):
        raise _fail("the key's data is not valid base64; copy the whole line from the .pub file") from None
    fields = _strings(raw)
    if not fields or fields[0].decode(errors="replace") != algorithm:
        raise _fail(f"the key's data does not hold an {algorithm} key")
    if algorithm == "ssh-rsa":
        modulus = fields[2] if len(fields) > 2 else b""
        bits = int.from_bytes(modulus, "big").bit_length()
        if bits < MIN_RSA_BITS:
            raise _fail(f"this RSA key has {bits} bits; use at least {MIN_RSA_BITS}, or better an ed25519 key")
    bad = control_chars(comment)
    if bad:
        shown = ", ".join(sorted({f"U+{ord(ch):04X}" for ch in bad})[:3])
        raise _fail(f"the key's comment holds control characters ({shown})")
    if len(comment) > COMMENT_MAX:
        raise _fail(f"the key's comment is too long ({len(comment):,} characters; at most {COMMENT_MAX})")
    return PublicKey(algorithm, blob, comment)
