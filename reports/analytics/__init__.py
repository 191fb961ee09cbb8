"""Analytics: KPIs and heatmaps over a period (selectors, aggregates), periods and charts for pages,
and the demo history generator (history)."""
