"""The 志愿服务记录证明 as a PDF (WeasyPrint, A4, WenQuanYi Micro Hei) with a QR code to the
public verification page. Rendered from the Certificate row and the records it listed, so the
same certificate always prints the same figures."""

from typing import Any

import segno
from django.template.loader import render_to_string
from django.utils import timezone

from tongxin.core.masking import mask_id_number

from .models import Certificate, ServiceRecord
from .services import format_code


def certificate_records(certificate: Certificate) -> list[ServiceRecord]:
    return list(
        ServiceRecord.objects.filter(pk__in=certificate.record_ids)
        .select_related("team", "organization", "territory", "unit")
        .order_by("started_at", "pk")
    )


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").png_data_uri(scale=4, border=2)


def certificate_context(certificate: Certificate, *, verify_url: str) -> dict[str, Any]:
    person = certificate.person
    total = certificate.total_minutes
    return {
        "c": certificate,
        "name": person.name,
        "id_number": mask_id_number(person.id_number or ""),
        "rows": [
            {
                "date": timezone.localtime(r.started_at).date(),
                "organiser": str(r.organiser),
                "title": r.title,
                "hours": f"{r.minutes / 60:.1f}",
            }
            for r in certificate_records(certificate)
        ],
        "hours": total // 60,
        "rest_minutes": total % 60,
        "hours_decimal": f"{total / 60:.1f}",
        "code": format_code(certificate.code),
        "verify_url": verify_url,
        "qr": qr_data_uri(verify_url),
        "issued_on": timezone.localtime(certificate.issued_at).date(),
    }


def certificate_pdf(certificate: Certificate, *, verify_url: str) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, which only this needs

    html = render_to_string(
        "records/certificate_pdf.html", certificate_context(certificate, verify_url=verify_url)
    )
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]
