package com.acme.network

import com.acme.catalog.Product as CatalogProduct
import com.acme.model.User
import com.acme.model.UserId
import com.acme.shipping.Shipment
import kotlinx.datetime.Instant
import kotlinx.serialization.SerialName
import kotlinx.serialization.Serializable

/** A user as the API sends it. */
@Serializable
class NetworkUser(
    @SerialName("user_id") val id: UserId,
    val createdAt: Instant,
    val lastSeen: kotlinx.datetime.Instant? = null,
    val wishlist: List<CatalogProduct> = emptyList(),
    val shipments: List<Shipment> = emptyList(),
    val profile: User? = null,
    followed: Boolean,
)

/** A day the shop is closed. */
@Serializable
data class Holiday(val day: kotlinx.datetime.LocalDate, val name: String)

/** How an order was paid. */
@Serializable
sealed interface Payment {
    @Serializable
    @SerialName("card")
    data class Card(val last4: String) : Payment

    @Serializable
    @SerialName("transfer")
    data class Transfer(val iban: String) : Payment

    /** Paid at the counter. */
    @Serializable
    @SerialName("cash")
    data object Cash : Payment
}
