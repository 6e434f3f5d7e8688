from django.urls import path

from .views import phone, staff

app_name = "rewards"
urlpatterns = [
    # Staff
    path("", staff.items, name="items"),
    path("items/new/", staff.item_new, name="item_new"),
    path("items/<int:pk>/", staff.item_edit, name="item_edit"),
    path("redemptions/", staff.redemptions, name="redemptions"),
    path("redemptions/export/", staff.redemptions_export, name="redemptions_export"),
    path("redemptions/<int:pk>/cancel/", staff.redemption_cancel_staff, name="redemption_cancel"),
    path("counter/", staff.counter, name="counter"),
    path("bookings/", staff.bookings, name="bookings"),
    path("bookings/export/", staff.bookings_export, name="bookings_export"),
    path("bookings/new/", staff.booking_new, name="booking_new"),
    path("bookings/<int:pk>/", staff.booking_detail, name="booking_detail"),
    # Phone
    path("m/", phone.shop, name="m_shop"),
    path("m/items/<int:pk>/", phone.item, name="m_item"),
    path("m/mine/", phone.my_redemptions, name="m_redemptions"),
    path("m/mine/<int:pk>/", phone.my_redemption, name="m_redemption"),
    path("m/timebank/", phone.timebank, name="m_timebank"),
    path("m/timebank/transfer/", phone.transfer, name="m_transfer"),
    path("m/timebank/donate/", phone.donate, name="m_donate"),
    path("m/timebank/book/", phone.book, name="m_book"),
    path("m/timebank/bookings/", phone.my_bookings, name="m_bookings"),
    path("m/timebank/bookings/<int:pk>/", phone.my_booking, name="m_booking"),
    path("m/timebank/open/", phone.open_bookings, name="m_open"),
    path("m/timebank/open/<int:pk>/take/", phone.take, name="m_take"),
]
