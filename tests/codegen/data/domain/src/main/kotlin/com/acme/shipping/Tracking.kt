package com.acme.shipping

import kotlinx.datetime.Instant
import kotlinx.serialization.SerialName
import kotlinx.serialization.Serializable

/** Something that happened to a shipment. */
@Serializable
sealed class TrackingEvent(
    /** The shipment it happened to. */
    val shipmentId: String,
    val at: Instant,
) {
    /** Where it happened, when known. */
    abstract val place: String?
}

/** The carrier took the parcels. */
@Serializable
@SerialName("picked_up")
data class PickedUp(
    shipmentId: String,
    at: Instant,
    override val place: String?,
    val carrier: Carrier,
) : TrackingEvent(shipmentId, at)
