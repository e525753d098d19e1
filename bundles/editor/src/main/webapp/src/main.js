import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { startRouter } from './lib/router.js'
import './style.css'

startRouter()
createApp(App).use(createPinia()).mount('#app')
