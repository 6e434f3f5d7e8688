"""The needs loop over the API (诉求): categories, the work list, intake, one POST per lifecycle
step and the classifier, in the manner of Open311 GeoReport v2 where it fits (services =
categories, requests = needs, service_request_id = the need's number)."""
