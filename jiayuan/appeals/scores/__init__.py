"""The three-rate scores (三率): the pure formula (rates), months and result types (periods), the aggregate reads
(scoring), and the page, API and URLs that show them."""
