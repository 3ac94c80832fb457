package com.acme.shipping

import com.acme.catalog.Product
import java.math.BigDecimal
import java.time.Instant
import kotlinx.serialization.SerialName
import kotlinx.serialization.Serializable

/** Who carries a parcel. */
@Serializable
enum class Carrier { DHL, UPS, @SerialName("la_poste") LA_POSTE }

/** One box. */
@Serializable
data class Parcel(
    val weightGrams: Long,
    val contents: List<Product> = listOf(),
    val fragile: Boolean = false,
)

/** Parcels on their way. */
@Serializable
data class Shipment(
    val id: String,
    val parcels: MutableList<Parcel> = mutableListOf(),
    val carrier: Carrier = Carrier.DHL,
    val shippedAt: Instant?,
    val insuredValue: BigDecimal? = null,
    val labels: Map<String, Int> = mapOf("front" to 1, "back" to 2),
)
