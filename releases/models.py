"""The product catalogue: Jupiter Software's products and their modules. Cases, FAQ entries and documents
name the module they concern; licences (their granules) and releases will refer to the same rows."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from helpdesk.bilingual import BilingualName


class Product(models.Model):
    """A product the vendor sells and supports (Jupiter ERP); its name is a brand, alike in every language."""

    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Module(BilingualName):
    """A licensable part of a product (Finance, Payroll, Warehouse...)."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="modules"
    )
    code = models.SlugField(_("code"), unique=True)

    class Meta(BilingualName.Meta):
        verbose_name = _("product module")
        verbose_name_plural = _("product modules")
