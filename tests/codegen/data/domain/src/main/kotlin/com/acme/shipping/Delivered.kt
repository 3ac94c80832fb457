package com.acme.shipping

import kotlinx.datetime.Instant
import kotlinx.serialization.SerialName
import kotlinx.serialization.Serializable

/** The parcels reached the customer. */
@Serializable
@SerialName("delivered")
class Delivered(
    shipmentId: String,
    at: Instant,
    val signedBy: String? = null,
    /** The event this one corrects (a variant that refers back to its union). */
    val corrects: TrackingEvent? = null,
) : TrackingEvent(shipmentId, at) {
    override val place: String?
        get() = null
}
