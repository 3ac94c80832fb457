package com.example.shop

import java.math.BigDecimal
import java.util.UUID
import kotlinx.datetime.Instant
import kotlinx.serialization.Contextual
import kotlinx.serialization.SerialName
import kotlinx.serialization.Serializable

/** How far an order has got. */
@Serializable
enum class OrderStatus {
    @SerialName("pending") PENDING,
    @SerialName("paid") PAID,
    @SerialName("shipped") SHIPPED,
    @SerialName("cancelled") CANCELLED,
}

/** How a payment was made. */
@Serializable
enum class PaymentMethod {
    @SerialName("card") CARD,
    @SerialName("bank_transfer") BANK_TRANSFER,
    @SerialName("wallet") WALLET,
}

/** A customer of the shop. */
@Serializable
data class User(
    /** The user's id. */
    val id: @Contextual UUID,
    /**
     * The address receipts go to.
     * @maxLength 254
     * @pattern ^[^@ ]+@[^@ ]+$
     */
    val email: String,
    /** @minLength 1 */
    @SerialName("display_name") val displayName: String,
    @SerialName("created_at") val createdAt: Instant,
    val marketingOptIn: Boolean = false,
    val tags: List<String>,
)

/** One product line of an order. */
@Serializable
data class OrderLine(
    val sku: String,
    /** @minimum 1 */
    val quantity: Long = 1,
    @SerialName("unit_price") val unitPrice: @Contextual BigDecimal,
)

/** An order placed by a user. */
@Serializable
data class Order(
    val id: @Contextual UUID,
    @SerialName("user_id") val userId: @Contextual UUID,
    val lines: List<OrderLine>,
    val status: OrderStatus = OrderStatus.PENDING,
    /** Free text the customer left at checkout. */
    val note: String? = null,
    val metadata: Map<String, String>,
)

/** A payment against an order. */
@Serializable
data class Payment(
    val id: @Contextual UUID,
    @SerialName("order_id") val orderId: @Contextual UUID,
    val amount: @Contextual BigDecimal,
    /** ISO 4217 code. @pattern ^[A-Z]{3}$ */
    val currency: String = "EUR",
    val method: PaymentMethod,
    @SerialName("paid_at") val paidAt: Instant?,
    val receipt: ByteArray? = null,
)
