"""Event sign-ups: seats, the waitlist, cancellation with promotion, and lotteries."""
