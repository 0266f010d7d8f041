//! Browser cases: ledger pages (filled in with the pages).
