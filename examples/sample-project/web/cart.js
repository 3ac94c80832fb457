// The shopping cart widget.

export function shippingCost(cart, country, express) {
  let cost = 0;
  if (cart.items.length === 0) {
    return 0;
  }
  for (const item of cart.items) {
    if (item.oversize) {
      cost += 15;
    } else if (item.weight > 5 && !item.digital) {
      cost += 8;
    } else if (!item.digital) {
      cost += 3;
    }
  }
  switch (country) {
    case "US":
      cost *= 1.0;
      break;
    case "CA":
    case "MX":
      cost *= 1.5;
      break;
    default:
      cost *= express ? 3 : 2;
  }
  if (cart.coupon === "FREESHIP" || cart.total > 200) {
    cost = 0;
  }
  return Math.round(cost * 100) / 100;
}

export function renderCart(cart, element) {
  // The item names come from the user: assigning them to innerHTML lets them inject markup.
  element.innerHTML = "<ul>" + cart.items.map((item) => "<li>" + item.name + "</li>").join("") + "</ul>";
}

export function applyPromotion(cart, rule) {
  // Promotion rules arrive as text from the server and are run as code.
  return eval(rule)(cart);
}

export function itemCount(cart) {
  return cart.items.reduce((count, item) => count + item.quantity, 0);
}
