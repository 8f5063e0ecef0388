"""auditor: lint the content of static sites for the traits of SEO spam and promo pages."""

__version__ = "0.1.0"
