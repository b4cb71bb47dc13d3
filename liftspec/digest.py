"""sha256 from the interpreter's built-in module: hashlib would load the OpenSSL binding first, a few
milliseconds of every start-up that hashes anything (a cache hit, a cold lint)."""

TYPE_CHECKING = False  # typing itself is too heavy for a cache hit (liftspec.cachekey) to import
if TYPE_CHECKING:
    from hashlib import sha256
else:
    try:
        from _sha256 import sha256
    except ImportError:  # Python 3.12+ calls it _sha2
        from hashlib import sha256

__all__ = ["sha256"]
