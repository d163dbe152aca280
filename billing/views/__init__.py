"""The billing pages, one module per area: statements (detail, approve, dispute, PDF, e-invoice,
generation), pages (overview, services history, cost analysis, contracts), time (consultant time)."""
