// Live preview of a card payment on a shop's pay page: the same integer arithmetic as the server
// (floor of won below one). The server-rendered preview works without this script.
(function () {
  "use strict";
  var form = document.getElementById("pay-form");
  if (!form) { return; }
  var amountInput = form.querySelector("input[name=amount]");
  var mileageBox = form.querySelector("input[name=use_mileage]");
  var bp = function (name) { return parseInt(form.getAttribute("data-" + name), 10) || 0; };
  var discountBp = bp("discount-bp"), mileageBp = bp("mileage-bp"), fundBp = bp("fund-rate-bp");
  var mileage = bp("mileage");
  var show = function (name, value) {
    var el = document.querySelector("[data-preview=" + name + "]");
    if (el) { el.textContent = value === null ? "-" : value.toLocaleString("ko-KR"); }
  };
  var names = ["amount", "discount", "paid", "from_mileage", "from_card", "mileage_earned", "fund_fee"];
  var update = function () {
    var amount = Number(amountInput.value);
    if (!Number.isInteger(amount) || amount < 1 || amount > 10000000) {
      names.forEach(function (n) { show(n, null); });
      return;
    }
    var discount = Math.floor(amount * discountBp / 10000);
    var paid = amount - discount;
    var fromMileage = mileageBox && mileageBox.checked ? Math.min(mileage, paid) : 0;
    show("amount", amount);
    show("discount", discount);
    show("paid", paid);
    show("from_mileage", fromMileage);
    show("from_card", paid - fromMileage);
    show("mileage_earned", Math.floor(paid * mileageBp / 10000));
    show("fund_fee", Math.floor(paid * fundBp / 10000));
  };
  amountInput.addEventListener("input", update);
  if (mileageBox) { mileageBox.addEventListener("change", update); }
})();
