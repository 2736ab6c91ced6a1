//! quotient
